package org.align4j.core.privacy;

import java.util.Arrays;

/**
 * The constants of the RDP series of the subsampled Gaussian mechanism with one sample rate q and noise multiplier
 * sigma, and the quantities of each summation index i that do not depend on the order, computed once (and grown
 * on demand) so that the orders of a curve share them: {@code log i}, {@code log expm1((i^2-i)/(2 sigma^2))} and
 * {@code log erfc}, {@code erfcx} of the A0 argument {@code x0 = (i - z0)/(sqrt2 sigma)}.
 */
final class SubsampledGaussianSeries {

  private static final int INITIAL_SIZE = 16;

  final double logQ;
  final double log1mQ;
  /** {@code 1 / (2 sigma^2)}. */
  final double inv;
  /** {@code sigma^2 log(1/q - 1) + 1/2}, where the two terms of {@code 1 - q + q exp((2z - 1)/(2 sigma^2))} meet. */
  final double z0;
  /** {@code 1 / (sqrt2 sigma)}, the factor of the erfc arguments. */
  final double scale;
  private int size;
  private double[] logIndex = new double[0];
  private double[] logGain = new double[0];
  private double[] logErfc0 = new double[0];
  private double[] erfcx0 = new double[0];

  SubsampledGaussianSeries(double q, double sigma) {
    logQ = Math.log(q);
    log1mQ = Math.log1p(-q);
    inv = 1 / (2 * sigma * sigma);
    z0 = sigma * sigma * (log1mQ - logQ) + 0.5;
    scale = 0.7071067811865476 / sigma;
  }

  /** {@code log i}. */
  double logIndex(int i) {
    ensure(i);
    return logIndex[i];
  }

  /** {@code log(expm1((i^2 - i)/(2 sigma^2)))}, negative infinity for i = 0 and 1. */
  double logGain(int i) {
    ensure(i);
    return logGain[i];
  }

  /** {@code log erfc((i - z0)/(sqrt2 sigma))}. */
  double logErfc0(int i) {
    ensure(i);
    return logErfc0[i];
  }

  /** {@code erfcx((i - z0)/(sqrt2 sigma))} where that argument is non-negative, NaN below. */
  double erfcx0(int i) {
    ensure(i);
    return erfcx0[i];
  }

  private void ensure(int i) {
    if (i < size) {
      return;
    }
    int n = Math.max(Math.max(INITIAL_SIZE, 2 * size), i + 1);
    logIndex = Arrays.copyOf(logIndex, n);
    logGain = Arrays.copyOf(logGain, n);
    logErfc0 = Arrays.copyOf(logErfc0, n);
    erfcx0 = Arrays.copyOf(erfcx0, n);
    for (int k = size; k < n; k++) {
      logIndex[k] = Math.log(k);
      logGain[k] = logExpm1((double) k * (k - 1) * inv);
      double x0 = (k - z0) * scale;
      logErfc0[k] = Erfc.logErfc(x0);
      erfcx0[k] = x0 >= 0 ? Erfc.erfcx(x0) : Double.NaN;
    }
    size = n;
  }

  /** {@code log(expm1(x))} for {@code x >= 0}; negative infinity at 0. */
  private static double logExpm1(double x) {
    return x > 1 ? x + Math.log(-Math.expm1(-x)) : Math.log(Math.expm1(x));
  }
}
