package org.align4j.optimizers.ppo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.rewardmodel.RewardModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Tiny models, prompts and a programmatic reward with a known optimum for the PPO tests. */
final class PpoFixtures {

  /** Prompts of a few bytes each. */
  static final List<String> PROMPTS = List.of("x", "hello", "q", "ab ", "def f", "9", "Zz", "(");

  /**
   * The fraction of the response's characters that are lowercase ASCII letters: about 0.1 for a fresh byte-level
   * model, 1 at the optimum.
   */
  static final RewardModel LOWERCASE = (prompts, responses) -> {
    double[] out = new double[responses.size()];
    for (int i = 0; i < out.length; i++) {
      String r = responses.get(i);
      long letters = r.chars().filter(c -> c >= 'a' && c <= 'z').count();
      out[i] = r.isEmpty() ? 0 : (double) letters / r.length();
    }
    return out;
  };

  /** The fraction of the response's characters that are ASCII: about one half for a fresh model, a dense signal. */
  static final RewardModel ASCII = (prompts, responses) -> {
    double[] out = new double[responses.size()];
    for (int i = 0; i < out.length; i++) {
      String r = responses.get(i);
      out[i] = r.isEmpty() ? 0 : (double) r.chars().filter(c -> c < 128).count() / r.length();
    }
    return out;
  };

  private PpoFixtures() {}

  /** A fresh one-layer byte-level model with a context of {@code context} tokens. */
  static TransformerLm model(int context, long seed) {
    TransformerConfig c = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
        .contextLength(context).dModel(16).heads(2).layers(1).mlpRatio(2).build();
    return TransformerLm.create(c, ByteTokenizer.INSTANCE, seed);
  }

  /** The mean reward of {@code samples} completions of each prompt, sampled at temperature 1 with a fixed seed. */
  static double meanReward(TransformerLm model, RewardModel reward, int samples, int length) {
    List<int[]> ids = new ArrayList<>();
    List<String> prompts = new ArrayList<>();
    for (String p : PROMPTS) {
      for (int s = 0; s < samples; s++) {
        ids.add(RolloutSequences.encodePrompt(model.tokenizer(), p, 0, model.contextLength()));
        prompts.add(p);
      }
    }
    List<String> texts = new ArrayList<>();
    for (int[] r : model.generate(ids, GenerationConfig.sampling(length, 1.0, 12345))) {
      texts.add(model.tokenizer().decode(r));
    }
    double sum = 0;
    for (double s : reward.score(prompts, texts)) {
      sum += s;
    }
    return sum / texts.size();
  }

  /** Whether every weight of {@code a} equals the one of {@code b} exactly. */
  static boolean sameWeights(TransformerLm a, TransformerLm b) {
    for (var e : a.weights().asMap().entrySet()) {
      INDArray other = b.weights().get(e.getKey());
      if (!Arrays.equals(e.getValue().dup().data().asFloat(), other.dup().data().asFloat())) {
        return false;
      }
    }
    return true;
  }
}
