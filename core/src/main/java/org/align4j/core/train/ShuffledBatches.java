package org.align4j.core.train;

import java.util.SplittableRandom;
import org.align4j.core.util.Args;

/**
 * Batches of example indices for epoch-based training: each epoch is a fresh seeded permutation of
 * {@code 0..n-1} cut into batches of {@code batchSize} (the last batch of an epoch may be smaller). Not
 * thread-safe.
 */
public final class ShuffledBatches implements BatchSampler {

  private final int n;
  private final int batchSize;
  private final SplittableRandom random;
  private int[] order;
  private int cursor;

  /** Batches over {@code n} examples drawing permutations from {@code random} (the first one right away). */
  public ShuffledBatches(int n, int batchSize, SplittableRandom random) {
    this.n = Args.positive("n", n);
    this.batchSize = Args.positive("batchSize", batchSize);
    this.random = random;
    this.order = permutation(n, random);
  }

  /** The indices of the next batch, starting a new epoch (a new permutation) when the current one is used up. */
  @Override
  public int[] next() {
    if (cursor >= n) {
      order = permutation(n, random);
      cursor = 0;
    }
    int size = Math.min(batchSize, n - cursor);
    int[] batch = new int[size];
    System.arraycopy(order, cursor, batch, 0, size);
    cursor += size;
    return batch;
  }

  @Override
  public int size() {
    return n;
  }

  /** The fraction of the examples in a full batch, {@code batchSize / n} (at most 1). */
  @Override
  public double sampleRate() {
    return Math.min(1.0, (double) batchSize / n);
  }

  /** A seeded Fisher-Yates permutation of {@code 0..n-1}. */
  public static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
