package org.align4j.rewardmodel.pairs;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.LanguageModel;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.util.Args;

/**
 * Samples responses of a language model to text prompts: each prompt is encoded as BOS followed by its tokens,
 * and the response is the decoded completion (special tokens dropped). Sample {@code j} of every prompt is drawn
 * with a seed derived from the configuration's seed and {@code j}, so the same seed gives the same responses.
 */
public final class ResponseSampler {

  /** Prompts generated per call of the model. */
  static final int BATCH = 32;

  private ResponseSampler() {}

  /**
   * {@code samples} responses to each prompt: element {@code i} of the result holds those of {@code prompts[i]}.
   *
   * @throws IllegalArgumentException when {@code samples} is not positive, or a prompt leaves no room in the
   *     model's context for a response token
   */
  public static List<List<String>> sample(LanguageModel model, List<String> prompts, int samples,
      GenerationConfig config) {
    Args.positive("samples", samples);
    Tokenizer tok = model.tokenizer();
    List<int[]> encoded = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      int[] body = tok.encode(prompts.get(i));
      if (body.length + 2 > model.contextLength()) {
        throw new IllegalArgumentException("prompt " + (i + 1) + " has " + (body.length + 1) + " tokens with BOS; "
            + "the model's context of " + model.contextLength() + " tokens leaves no room for a response");
      }
      int[] ids = new int[body.length + 1];
      ids[0] = tok.bosId();
      System.arraycopy(body, 0, ids, 1, body.length);
      encoded.add(ids);
    }
    List<List<String>> out = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      out.add(new ArrayList<>(samples));
    }
    for (int j = 0; j < samples; j++) {
      long seed = new SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * (j + 1))).nextLong();
      for (int from = 0; from < encoded.size(); from += BATCH) {
        int to = Math.min(encoded.size(), from + BATCH);
        List<int[]> generated = model.generate(encoded.subList(from, to),
            config.withSeed(new SplittableRandom(seed ^ from).nextLong()));
        for (int i = from; i < to; i++) {
          out.get(i).add(tok.decode(generated.get(i - from)));
        }
      }
    }
    return out.stream().map(List::copyOf).toList();
  }
}
