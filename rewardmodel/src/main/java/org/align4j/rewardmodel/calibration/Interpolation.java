package org.align4j.rewardmodel.calibration;

import java.util.Arrays;

/** Piecewise-linear interpolation through knots. */
final class Interpolation {

  private Interpolation() {}

  /**
   * The value at {@code x} of the line through the knots {@code (xs[i], ys[i])} ({@code xs} ascending, distinct,
   * non-empty): exact at a knot, linear between knots, constant beyond the ends.
   */
  static double linear(double[] xs, double[] ys, double x) {
    int n = xs.length;
    if (x <= xs[0]) {
      return ys[0];
    }
    if (x >= xs[n - 1]) {
      return ys[n - 1];
    }
    int i = Arrays.binarySearch(xs, x);
    if (i >= 0) {
      return ys[i];
    }
    int hi = -i - 1;
    int lo = hi - 1;
    double a = (x - xs[lo]) / (xs[hi] - xs[lo]);
    return a * ys[hi] + (1.0 - a) * ys[lo];
  }
}
