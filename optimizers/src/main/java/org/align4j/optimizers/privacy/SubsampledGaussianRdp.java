package org.align4j.optimizers.privacy;

/**
 * Rényi differential privacy of one step of the Poisson-subsampled Gaussian mechanism (Mironov, Talwar and Zhang
 * 2019), in float64 and log space. Integer orders use the finite binomial sum, written as {@code A - 1} over
 * positive terms so that tiny sample rates keep their relative accuracy; fractional orders use the two series with
 * erfc factors, each term added with the sign of its binomial coefficient.
 */
final class SubsampledGaussianRdp {

  /** Terms of the alternating tail smaller than this fraction of the sum so far (in log) end the series. */
  private static final double LOG_TAIL_TOLERANCE = -30;
  private static final double LOG_HALF = Math.log(0.5);
  private static final double INV_SQRT2 = 0.7071067811865476;

  private SubsampledGaussianRdp() {}

  /**
   * RDP of order {@code order} (> 1) of one step with noise multiplier {@code sigma} and sample rate {@code q}.
   * Arguments are assumed valid (checked by the callers).
   */
  static double rdp(double q, double sigma, double order) {
    if (q == 1) {
      return order / (2 * sigma * sigma);
    }
    if (Double.isInfinite(order)) {
      return Double.POSITIVE_INFINITY;
    }
    double logA = order == Math.rint(order) && order < Integer.MAX_VALUE
        ? logAInteger(q, sigma, (int) order)
        : logAFractional(q, sigma, order);
    return logA / (order - 1);
  }

  /**
   * {@code log A} for an integer order {@code a}: {@code A = sum_i C(a,i) q^i (1-q)^(a-i) exp((i^2-i)/(2 sigma^2))}.
   * The i = 0 and 1 terms of {@code A - 1 = sum_i C(a,i) q^i (1-q)^(a-i) expm1((i^2-i)/(2 sigma^2))} vanish, so
   * {@code log(A - 1)} is a log-sum-exp of positive terms and {@code log A = log1p(A - 1)}.
   */
  static double logAInteger(double q, double sigma, int a) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double inv = 1 / (2 * sigma * sigma);
    int count = a - 1;
    double[] terms = new double[count];
    double max = Double.NEGATIVE_INFINITY;
    double logBinom = Math.log(a) + Math.log(a - 1) - Math.log(2); // log C(a, 2)
    for (int i = 2; i <= a; i++) {
      if (i > 2) {
        logBinom += Math.log(a - i + 1) - Math.log(i);
      }
      double c = (double) i * (i - 1) * inv;
      double term = logBinom + i * logQ + (a - i) * log1mQ + logExpm1(c);
      terms[i - 2] = term;
      max = Math.max(max, term);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    double sum = 0;
    for (double term : terms) {
      sum += Math.exp(term - max);
    }
    double logAMinus1 = max + Math.log(sum);
    return logAMinus1 > 0
        ? logAMinus1 + Math.log1p(Math.exp(-logAMinus1))
        : Math.log1p(Math.exp(logAMinus1));
  }

  /**
   * {@code log A} for a fractional order {@code a}: {@code A = A0 + A1} with
   * {@code A0 = sum_i C(a,i) q^i (1-q)^(a-i) exp((i^2-i)/(2 sigma^2)) erfc((i - z0)/(sqrt2 sigma))/2} and
   * {@code A1 = sum_i C(a,i) q^(a-i) (1-q)^i exp(((a-i)^2-(a-i))/(2 sigma^2)) erfc((z0 - (a-i))/(sqrt2 sigma))/2},
   * {@code z0 = sigma^2 log(1/q - 1) + 1/2}. Beyond i > a the binomial coefficients alternate in sign; each term
   * is added with its sign (a running sum scaled by its largest term so far), and the series ends once i > a and
   * the terms, which then decrease, fall below e^-30 of the sum.
   */
  static double logAFractional(double q, double sigma, double a) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double inv = 1 / (2 * sigma * sigma);
    double z0 = sigma * sigma * (log1mQ - logQ) + 0.5;
    double scale = INV_SQRT2 / sigma;
    double logBinom = 0;
    boolean negative = false;
    double reference = Double.NEGATIVE_INFINITY; // the sum is `scaled * exp(reference)`
    double scaled = 0;
    for (int i = 0; ; i++) {
      double j = a - i;
      double s0 = logBinom + i * logQ + j * log1mQ + (i * (double) i - i) * inv
          + LOG_HALF + Erfc.logErfc((i - z0) * scale);
      double s1 = logBinom + j * logQ + i * log1mQ + (j * j - j) * inv
          + LOG_HALF + Erfc.logErfc((z0 - j) * scale);
      double top = Math.max(s0, s1);
      if (top > reference) {
        scaled *= Math.exp(reference - top);
        reference = top;
      }
      double add = Math.exp(s0 - reference) + Math.exp(s1 - reference);
      scaled += negative ? -add : add;
      if (i > a && top < reference + Math.log(scaled) + LOG_TAIL_TOLERANCE) {
        break;
      }
      logBinom += Math.log(Math.abs(a - i)) - Math.log(i + 1);
      if (a - i < 0) {
        negative = !negative;
      }
    }
    return reference + Math.log(scaled);
  }

  /** {@code log(expm1(x))} for {@code x >= 0}; negative infinity at 0. */
  private static double logExpm1(double x) {
    return x > 1 ? x + Math.log(-Math.expm1(-x)) : Math.log(Math.expm1(x));
  }
}
