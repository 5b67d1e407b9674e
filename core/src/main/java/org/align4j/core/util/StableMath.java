package org.align4j.core.util;

/**
 * Scalar functions of probabilities and log-probabilities in float64, written once for the whole library and
 * stable at every finite input: none overflows to infinity or returns NaN where the true value is finite.
 */
public final class StableMath {

  private StableMath() {}

  /** {@code 1 / (1 + exp(-x))}, never computing an exponential larger than 1. */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  /** {@code log(sigmoid(x))} as {@code min(x, 0) - log1p(exp(-|x|))}: exact far into both tails. */
  public static double logSigmoid(double x) {
    return Math.min(x, 0.0) - Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** {@code log(1 + exp(x))} as {@code max(x, 0) + log1p(exp(-|x|))}; equals {@code -logSigmoid(-x)}. */
  public static double softplus(double x) {
    return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /**
   * {@code log(exp(a) + exp(b))} without overflow; negative infinity when both are (a term of probability 0), and
   * NaN only when an input is NaN.
   */
  public static double logAddExp(double a, double b) {
    double max = Math.max(a, b);
    if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY) {
      return max;
    }
    return max + Math.log1p(Math.exp(Math.min(a, b) - max));
  }
}
