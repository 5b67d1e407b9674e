package org.align4j.rewardmodel.calibration;

/**
 * The kernel-weighted sums of one LOWESS window added up directly, one group or one point at a time (the
 * {@link GroupSmoother}'s path when {@code delta} leaves few fits). The sums use the signed distance
 * {@code d = (x_g - x) / r}, so the sums of d and d y are already the differences of the window's sides:
 * {@code sums} holds the sums of w, w d, w d^2, w y and w y d, with w the tricube kernel times the weight.
 */
final class DirectSums {

  /** Points per call of {@link #block}. */
  private static final int BLOCK = 64;

  /** The five sums of the last window. */
  final double[] sums = new double[5];
  /** The points of positive weight counted by {@link #block}. */
  private int positive;

  /** Sums groups {@code from..to} (inclusive) with their total weights and weighted y. */
  void groups(double[] gx, double[] weightSum, double[] weightedY, int from, int to, double xval, double radius) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double t0 = 0;
    double t1 = 0;
    for (int g = from; g <= to; g++) {
      double d = (gx[g] - xval) / radius;
      double v = Math.abs(d);
      double c = 1.0 - v * v * v;
      double kernel = c * c * c;
      double w = kernel * weightSum[g];
      double wy = kernel * weightedY[g];
      s0 += w;
      s1 += w * d;
      s2 += w * d * d;
      t0 += wy;
      t1 += wy * d;
    }
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = t0;
    sums[4] = t1;
  }

  /**
   * Sums points {@code from..to} (inclusive; one point per group, x ascending) with their own robustness weights
   * and y, and returns how many have a positive weight. The window is summed block by block so that the short
   * {@link #block} is called often: a freshly started JVM compiles it after a few thousand points instead of
   * interpreting the first tens of thousands of one long loop. The order of the additions is that of one loop.
   */
  int points(double[] x, double[] robustness, double[] y, int from, int to, double xval, double radius) {
    java.util.Arrays.fill(sums, 0.0);
    positive = 0;
    for (int start = from; start <= to; start += BLOCK) {
      block(x, robustness, y, start, Math.min(to, start + BLOCK - 1), xval, radius);
    }
    return positive;
  }

  private void block(double[] x, double[] rw, double[] y, int from, int to, double xval, double radius) {
    double s0 = sums[0];
    double s1 = sums[1];
    double s2 = sums[2];
    double t0 = sums[3];
    double t1 = sums[4];
    int count = positive;
    for (int g = from; g <= to; g++) {
      double d = (x[g] - xval) / radius;
      double v = Math.abs(d);
      double c = 1.0 - v * v * v;
      double kernel = c * c * c;
      double weight = rw[g];
      double w = kernel * weight;
      double wy = kernel * (weight * y[g]);
      s0 += w;
      s1 += w * d;
      s2 += w * d * d;
      t0 += wy;
      t1 += wy * d;
      // 1 for a positive weight (weights are in [0, 1]), without a branch whose profile changes between passes
      count += (int) Math.ceil(weight);
    }
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = t0;
    sums[4] = t1;
    positive = count;
  }
}
