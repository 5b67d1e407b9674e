package org.align4j.memorization.stats;

/**
 * The standard normal distribution in log space: {@code log phi} and a {@code log Phi} that stays accurate far in
 * the lower tail (no underflow to -infinity before about -1e150).
 */
public final class NormalMath {

  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

  private NormalMath() {}

  /** log of the standard normal density. */
  public static double logPdf(double x) {
    return -0.5 * x * x - LOG_SQRT_2PI;
  }

  /** The standard normal distribution function. */
  public static double cdf(double x) {
    return Math.exp(logCdf(x));
  }

  /**
   * log Phi(x), from the complementary error function in the Chebyshev-fitted form {@code t exp(-z^2 + P(t))}
   * (fractional error below 1.2e-7), taken in log space so the lower tail never underflows.
   */
  public static double logCdf(double x) {
    double z = Math.abs(x) / Math.sqrt(2);
    double t = 1 / (1 + 0.5 * z);
    double logErfc = Math.log(t) - z * z + poly(t);
    if (x < 0) {
      return Math.log(0.5) + logErfc;
    }
    return Math.log1p(-0.5 * Math.exp(logErfc));
  }

  private static double poly(double t) {
    return -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  }
}
