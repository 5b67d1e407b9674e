package org.align4j.core.dp;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.align4j.core.train.BatchSampler;
import org.align4j.core.train.ShuffledBatches;
import org.align4j.core.util.Args;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fixed-size batches from shuffled passes over the data (sampling without replacement). The privacy accountants
 * assume Poisson sampling; their epsilon is not a proven bound for this sampler, and constructing one logs a
 * warning saying so. It is offered for comparison with non-private training and for debugging only.
 */
final class FixedSizeSampler implements BatchSampler {

  private static final Logger LOG = LoggerFactory.getLogger(FixedSizeSampler.class);

  private final int n;
  private final int batchSize;
  private final SplittableRandom random;
  private int[] order;
  private int cursor;

  /**
   * A sampler of batches of {@code batchSize} examples out of {@code n}.
   *
   * @param n the number of examples, {@code > 0}
   * @param batchSize examples per batch, in {@code [1, n]}
   * @param seed seed of the shuffles
   */
  public FixedSizeSampler(int n, int batchSize, long seed) {
    this.n = Args.positive("n", n);
    Args.positive("batchSize", batchSize);
    Args.check(batchSize <= n, "batchSize must be <= n = %s, got %s", n, batchSize);
    this.batchSize = batchSize;
    this.random = new SplittableRandom(seed);
    this.order = ShuffledBatches.permutation(n, random);
    LOG.warn("DP-SGD with fixed-size batches ({} of {}): the privacy accountants assume Poisson sampling, so the "
        + "reported epsilon is not a proven guarantee for this run", batchSize, n);
  }

  @Override
  public int[] next() {
    if (cursor + batchSize > n) {
      order = ShuffledBatches.permutation(n, random);
      cursor = 0;
    }
    int[] batch = Arrays.copyOfRange(order, cursor, cursor + batchSize);
    cursor += batchSize;
    Arrays.sort(batch);
    return batch;
  }

  @Override
  public int size() {
    return n;
  }

  @Override
  public double sampleRate() {
    return (double) batchSize / n;
  }
}
