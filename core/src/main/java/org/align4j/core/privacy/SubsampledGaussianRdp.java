package org.align4j.core.privacy;

import org.align4j.core.util.StableMath;

/**
 * Rényi differential privacy of one step of the Poisson-subsampled Gaussian mechanism (Mironov, Talwar and Zhang
 * 2019), in float64 and log space. Integer orders use the finite binomial sum, written as {@code A - 1} over
 * positive terms so that tiny sample rates keep their relative accuracy; fractional orders use the two series with
 * erfc factors, each term added with the sign of its binomial coefficient, and their slowly decaying alternating
 * tails summed by convergence acceleration.
 */
final class SubsampledGaussianRdp {

  /** The relative error allowed for the alternating tail of the fractional series (the rounding of the sum). */
  private static final double TOLERANCE = 0x1p-53;
  /** The rate {@code 3 + sqrt8} at which the error of the accelerated alternating sum falls with each term. */
  private static final double CRVZ_RATE = 3 + Math.sqrt(8);
  private static final double LOG_CRVZ_RATE = Math.log(CRVZ_RATE);
  /** At most this many accelerated terms (an error bound of 1e-49 of the tail). */
  private static final int MAX_ACCELERATED_TERMS = 64;
  private static final double LOG_HALF = Math.log(0.5);

  private SubsampledGaussianRdp() {}

  /**
   * RDP of order {@code order} (> 1) of one step with noise multiplier {@code sigma} and sample rate {@code q}.
   * Arguments are assumed valid (checked by the callers).
   */
  static double rdp(double q, double sigma, double order) {
    return curve(q, sigma, new double[] {order})[0];
  }

  /** {@link #rdp} at each of {@code orders}, the orders sharing what their series have in common. */
  static double[] curve(double q, double sigma, double[] orders) {
    double[] curve = new double[orders.length];
    SubsampledGaussianSeries series = q == 1 ? null : new SubsampledGaussianSeries(q, sigma);
    for (int k = 0; k < orders.length; k++) {
      double order = orders[k];
      if (q == 1) {
        curve[k] = order / (2 * sigma * sigma);
      } else if (Double.isInfinite(order)) {
        curve[k] = Double.POSITIVE_INFINITY;
      } else {
        double logA = order == Math.rint(order) && order < Integer.MAX_VALUE
            ? logAInteger(series, (int) order)
            : logAFractional(series, order);
        // A >= 1 by Jensen's inequality; where A - 1 is below the rounding of A, the sum must not make it negative
        curve[k] = Math.max(0, logA) / (order - 1);
      }
    }
    return curve;
  }

  /**
   * {@code log A} for an integer order {@code a}: {@code A = sum_i C(a,i) q^i (1-q)^(a-i) exp((i^2-i)/(2 sigma^2))}.
   * The i = 0 and 1 terms of {@code A - 1 = sum_i C(a,i) q^i (1-q)^(a-i) expm1((i^2-i)/(2 sigma^2))} vanish, so
   * {@code log(A - 1)} is a log-sum-exp of positive terms and {@code log A = log1p(A - 1)}.
   */
  static double logAInteger(double q, double sigma, int a) {
    return logAInteger(new SubsampledGaussianSeries(q, sigma), a);
  }

  private static double logAInteger(SubsampledGaussianSeries series, int a) {
    double logQ = series.logQ;
    double log1mQ = series.log1mQ;
    int count = a - 1;
    double[] terms = new double[count];
    double max = Double.NEGATIVE_INFINITY;
    double logBinom = series.logIndex(a) + series.logIndex(a - 1) - series.logIndex(2); // log C(a, 2)
    for (int i = 2; i <= a; i++) {
      if (i > 2) {
        logBinom += series.logIndex(a - i + 1) - series.logIndex(i);
      }
      double term = logBinom + i * logQ + (a - i) * log1mQ + series.logGain(i);
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
    return StableMath.softplus(logAMinus1);
  }

  /**
   * {@code log A} for a fractional order {@code a}: {@code A = A0 + A1} with
   * {@code A0 = sum_i C(a,i) q^i (1-q)^(a-i) exp((i^2-i)/(2 sigma^2)) erfc((i - z0)/(sqrt2 sigma))/2} and
   * {@code A1 = sum_i C(a,i) q^(a-i) (1-q)^i exp(((a-i)^2-(a-i))/(2 sigma^2)) erfc((z0 - (a-i))/(sqrt2 sigma))/2},
   * {@code z0 = sigma^2 log(1/q - 1) + 1/2}, each term added with the sign of its binomial coefficient (a running
   * sum scaled by its largest term so far).
   *
   * <p>From {@code m = floor(a) + 1} on the signs alternate and the magnitudes {@code f(i)} of the summed pairs
   * are a completely monotone function of i: {@code |C(a,i)| = Gamma(a+1) |sin(pi a)| Gamma(i-a) / (pi Gamma(i+1))}
   * with {@code Gamma(i-a)/Gamma(i+1)} a Beta integral, and the power, Gaussian and erfc factors of each series
   * make a constant times {@code erfcx(x) = 2/sqrt(pi) int_0^inf exp(-t^2 - 2xt) dt}, x increasing linearly in i. Such
   * a tail decays only polynomially (thousands of terms at q = 0.1 and small orders), but it is a moment sequence
   * {@code f(i+k) = int_0^1 x^k dmu}, so the acceleration of Cohen, Rodriguez Villegas and Zagier (2000) sums
   * {@code sum_k (-1)^k f(i+k)} from n terms with an error at most {@code 2 f(i) / (3 + sqrt8)^n}. Terms are added
   * one by one while they shrink faster than that rate (the ratios of a completely monotone sequence only grow),
   * the series ending once a term is below the tolerance; otherwise the rest of the tail is accelerated with the
   * n that the bound asks for.
   */
  static double logAFractional(double q, double sigma, double a) {
    return logAFractional(new SubsampledGaussianSeries(q, sigma), a);
  }

  private static double logAFractional(SubsampledGaussianSeries series, double a) {
    FractionalTerms terms = new FractionalTerms(series, a);
    int monotoneFrom = (int) Math.floor(a) + 1;
    double reference = Double.NEGATIVE_INFINITY; // the sum is `sum * exp(reference)`
    double sum = 0;
    double previous = 0;
    boolean negative = false;
    for (int i = 0; ; i++) {
      double s0 = terms.log0();
      double s1 = terms.log1();
      double top = Math.max(s0, s1);
      if (top > reference) {
        double rescale = Math.exp(reference - top);
        sum *= rescale;
        previous *= rescale;
        reference = top;
      }
      double term = Math.exp(s0 - reference) + Math.exp(s1 - reference);
      if (i > monotoneFrom && term * CRVZ_RATE > previous) {
        // the limit lies within `term` of the partial sum, which bounds it from below
        double tail = acceleratedTail(terms, reference, term, sum - term);
        sum += negative ? -tail : tail;
        break;
      }
      sum += negative ? -term : term;
      if (i >= monotoneFrom && term <= TOLERANCE * (sum - term)) {
        break;
      }
      if (i >= monotoneFrom) {
        negative = !negative;
      }
      previous = term;
      terms.advance();
    }
    return reference + Math.log(sum);
  }

  /**
   * {@code sum_k (-1)^k f(i+k)} for the completely monotone tail starting at the current term of {@code terms},
   * whose scaled value {@code first} is known, by Algorithm 1 of Cohen, Rodriguez Villegas and Zagier, with enough
   * terms that the error bound {@code 2 first / (3 + sqrt8)^n} is within the tolerance of {@code lowerBound} (a
   * lower bound of the whole sum; the most terms when it is not positive).
   */
  private static double acceleratedTail(FractionalTerms terms, double reference, double first, double lowerBound) {
    int n = MAX_ACCELERATED_TERMS;
    if (lowerBound > 0) {
      double needed = Math.ceil(Math.log(2 * first / (TOLERANCE * lowerBound)) / LOG_CRVZ_RATE);
      n = (int) Math.max(1, Math.min(MAX_ACCELERATED_TERMS, needed));
    }
    double d = Math.pow(CRVZ_RATE, n);
    d = 0.5 * (d + 1 / d);
    double b = -1;
    double c = -d;
    double s = 0;
    double term = first;
    for (int k = 0; k < n; k++) {
      if (k > 0) {
        terms.advance();
        term = terms.scaled(reference);
      }
      c = b - c;
      s += c * term;
      b *= (k + n) * (double) (k - n) / ((k + 0.5) * (k + 1));
    }
    return s / d;
  }

  /**
   * The two series' terms at one index i, which {@link #advance()} moves on. Where both erfc arguments are
   * non-negative, {@code q^i (1-q)^(a-i) exp((i^2-i)/(2 sigma^2)) erfc(x0)/2 = exp(k) erfcx(x0)} and
   * {@code q^(a-i) (1-q)^i exp(((a-i)^2-(a-i))/(2 sigma^2)) erfc(x1)/2 = exp(k) erfcx(x1)} with the same constant
   * {@code k = a log(1-q) - z0^2/(2 sigma^2) + log(1/2)} (the Gaussian factors cancel), which saves the logs and
   * exponentials of the general form and the cancellation between its large quadratic exponents.
   */
  private static final class FractionalTerms {
    private final SubsampledGaussianSeries series;
    private final double a;
    private final double k;
    private int i;
    private double logBinom; // log |C(a, i)|

    FractionalTerms(SubsampledGaussianSeries series, double a) {
      this.series = series;
      this.a = a;
      k = a * series.log1mQ - series.z0 * series.z0 * series.inv + LOG_HALF;
    }

    /** The sum of the i-th terms of A0 and A1, without their sign, divided by {@code exp(reference)}. */
    double scaled(double reference) {
      double x1 = (series.z0 - (a - i)) * series.scale;
      if (i >= series.z0 && x1 >= 0) {
        return Math.exp(logBinom + k - reference) * (series.erfcx0(i) + Erfc.erfcx(x1));
      }
      return Math.exp(log0() - reference) + Math.exp(log1() - reference);
    }

    /** The log of the i-th term of A0, without its sign. */
    double log0() {
      double j = a - i;
      return logBinom + i * series.logQ + j * series.log1mQ + (i * (double) i - i) * series.inv
          + LOG_HALF + series.logErfc0(i);
    }

    /** The log of the i-th term of A1, without its sign. */
    double log1() {
      double j = a - i;
      return logBinom + j * series.logQ + i * series.log1mQ + (j * j - j) * series.inv
          + LOG_HALF + Erfc.logErfc((series.z0 - j) * series.scale);
    }

    void advance() {
      logBinom += Math.log(Math.abs(a - i) / (i + 1));
      i++;
    }
  }

}
