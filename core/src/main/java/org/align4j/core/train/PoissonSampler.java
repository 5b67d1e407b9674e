package org.align4j.core.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.align4j.core.util.Args;

/**
 * Poisson sampling, the sampling the privacy accountants assume: each of the {@code n} examples joins each batch
 * independently with probability {@code q}. Batch sizes therefore vary (binomially around {@code q * n}) and a
 * batch may be empty; DP-SGD still adds noise and counts a step for an empty batch.
 *
 * <p>Gaps between chosen indices are drawn from the geometric distribution, so a batch costs time proportional to
 * its size rather than to {@code n}.
 */
public final class PoissonSampler implements BatchSampler {

  private final int n;
  private final double q;
  private final double logOneMinusQ;
  private final SplittableRandom random;

  /**
   * A sampler over {@code n} examples at rate {@code sampleRate}.
   *
   * @param n the number of examples, {@code > 0}
   * @param sampleRate q in {@code (0, 1]}
   * @param seed seed of the draws
   */
  public PoissonSampler(int n, double sampleRate, long seed) {
    this.n = Args.positive("n", n);
    this.q = Args.inOpenClosed("sampleRate", sampleRate, 0, 1);
    this.logOneMinusQ = Math.log1p(-sampleRate);
    this.random = new SplittableRandom(seed);
  }

  @Override
  public int[] next() {
    if (q == 1.0) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] out = new int[Math.max(8, (int) Math.min(n, 2 * q * n + 8))];
    int count = 0;
    long i = skip();
    while (i < n) {
      if (count == out.length) {
        out = Arrays.copyOf(out, Math.min(n, 2 * out.length));
      }
      out[count++] = (int) i;
      i += 1 + skip();
    }
    return Arrays.copyOf(out, count);
  }

  /** The number of examples skipped before the next chosen one: geometric with success probability q. */
  private long skip() {
    double u = 1.0 - random.nextDouble(); // in (0, 1]
    double g = Math.floor(Math.log(u) / logOneMinusQ);
    return g >= n ? n : (long) g;
  }

  @Override
  public int size() {
    return n;
  }

  @Override
  public double sampleRate() {
    return q;
  }
}
