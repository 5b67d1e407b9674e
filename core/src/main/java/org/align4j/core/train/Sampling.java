package org.align4j.core.train;

import org.align4j.core.util.Args;

/**
 * How a {@link TrainingLoop} draws its batches: fixed-size batches from a fresh seeded permutation each epoch, or
 * Poisson sampling (each example joins each batch independently with probability q, the sampling that privacy
 * accountants assume).
 */
public sealed interface Sampling {

  /** Fixed-size batches of {@code batchSize} from shuffled epochs (the last batch of an epoch may be smaller). */
  static Sampling shuffled(int batchSize) {
    return new Shuffled(batchSize);
  }

  /** Poisson sampling at rate {@code sampleRate}. */
  static Sampling poisson(double sampleRate) {
    return new Poisson(sampleRate);
  }

  /**
   * Shuffled fixed-size batches.
   *
   * @param batchSize examples per batch, {@code > 0}
   */
  record Shuffled(int batchSize) implements Sampling {
    /** Validates. */
    public Shuffled {
      Args.positive("batchSize", batchSize);
    }
  }

  /**
   * Poisson sampling.
   *
   * @param sampleRate q in {@code (0, 1]}
   */
  record Poisson(double sampleRate) implements Sampling {
    /** Validates. */
    public Poisson {
      Args.inOpenClosed("sampleRate", sampleRate, 0, 1);
    }
  }
}
