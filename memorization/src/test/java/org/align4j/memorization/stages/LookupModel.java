package org.align4j.memorization.stages;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.LanguageModel;
import org.align4j.core.provenance.Provenance;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.memorization.fake.ByteTokenizer;

/**
 * A model whose memorization is known exactly: from a prompt that starts one of its texts it continues that text
 * verbatim; from any other prompt it writes {@code '#'}s. A known text's tokens get log-probability -0.1 each,
 * any other sequence's -3, so its loss separates known from unknown texts exactly.
 */
final class LookupModel implements LanguageModel {

  private static final Tokenizer TOKENIZER = new ByteTokenizer();

  private final List<String> texts;
  final AtomicInteger generateCalls = new AtomicInteger();

  LookupModel(List<String> texts) {
    this.texts = List.copyOf(texts);
  }

  @Override
  public Tokenizer tokenizer() {
    return TOKENIZER;
  }

  @Override
  public int contextLength() {
    return 1024;
  }

  @Override
  public List<float[]> tokenLogProbs(List<int[]> sequences) {
    List<float[]> out = new ArrayList<>();
    for (int[] s : sequences) {
      float[] lp = new float[s.length - 1];
      Arrays.fill(lp, known(TOKENIZER.decode(s)) != null ? -0.1f : -3f);
      out.add(lp);
    }
    return out;
  }

  @Override
  public List<int[]> generate(List<int[]> prompts, GenerationConfig config) {
    generateCalls.incrementAndGet();
    List<int[]> out = new ArrayList<>();
    for (int[] p : prompts) {
      String prompt = TOKENIZER.decode(p);
      String text = known(prompt);
      int[] next = new int[config.maxNewTokens()];
      Arrays.fill(next, '#');
      if (text != null) {
        int[] all = TOKENIZER.encode(text);
        next = Arrays.copyOfRange(all, p.length - 1, Math.min(all.length, p.length - 1 + config.maxNewTokens()));
      }
      out.add(next);
    }
    return out;
  }

  private String known(String prefix) {
    return texts.stream().filter(t -> t.startsWith(prefix)).findFirst().orElse(null);
  }

  @Override
  public Provenance provenance() {
    return Provenance.of("LookupModel", Map.of("texts", texts.size()), 0);
  }
}
