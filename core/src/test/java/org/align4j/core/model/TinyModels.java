package org.align4j.core.model;

import java.util.SplittableRandom;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Tiny byte-level models for tests. */
public final class TinyModels {

  private TinyModels() {}

  /** A tiny configuration over the byte tokenizer's vocabulary. */
  public static TransformerConfig config(int context) {
    return TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize()).contextLength(context)
        .dModel(16).heads(2).layers(2).mlpRatio(2).build();
  }

  /**
   * A tiny model whose every weight (gains and biases included) is perturbed by seeded noise of scale
   * {@code scale}, so that no part of the computation is trivially zero or one.
   */
  public static TransformerLm perturbed(int context, long seed, double scale) {
    return perturbed(config(context), seed, scale);
  }

  /** As {@link #perturbed(int, long, double)} for any configuration over the byte tokenizer's vocabulary. */
  public static TransformerLm perturbed(TransformerConfig config, long seed, double scale) {
    TransformerLm model = TransformerLm.create(config, ByteTokenizer.INSTANCE, seed);
    SplittableRandom random = new SplittableRandom(seed + 1);
    for (INDArray a : model.weights().asMap().values()) {
      INDArray flat = a.reshape(a.length());
      for (long i = 0; i < a.length(); i++) {
        flat.putScalar(i, flat.getDouble(i) + random.nextGaussian() * scale);
      }
    }
    return model;
  }
}
