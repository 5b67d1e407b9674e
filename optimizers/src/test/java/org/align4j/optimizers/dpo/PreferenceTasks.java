package org.align4j.optimizers.dpo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;

/** A synthetic preference task and tiny models for the DPO tests. */
final class PreferenceTasks {

  /** Context of the tiny test models. */
  static final int CONTEXT = 16;

  private PreferenceTasks() {}

  /**
   * {@code n} pairs: a random three-letter prompt, a chosen response {@code "yes" + two letters} and a rejected
   * response {@code "no!" + the same two letters}.
   */
  static Dataset<PreferencePair> pairs(String name, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String prompt = letters(random, 3) + ":";
      String tail = letters(random, 2);
      out.add(new PreferencePair(name + "-" + i, prompt, "yes" + tail, "no!" + tail));
    }
    return Dataset.of(name, out);
  }

  /** A fresh one-layer byte-level model of context {@link #CONTEXT} (SameDiff's per-op cost dominates: few ops). */
  static TransformerLm model(long seed) {
    TransformerConfig config = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
        .contextLength(CONTEXT).dModel(16).heads(2).layers(1).mlpRatio(2).build();
    return TransformerLm.create(config, ByteTokenizer.INSTANCE, seed);
  }

  private static String letters(SplittableRandom random, int k) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < k; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }
}
