package org.align4j.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SubsampledGaussianRdpTest {


  @Test
  void fractionalSeriesMatchesQuadratureOfAMinusOne() {
    for (double q : new double[] {1e-6, 256.0 / 60000, 0.01, 0.1, 0.5, 0.9, 0.999}) {
      for (double sigma : new double[] {0.5, 0.8, 1.1, 2, 10, 1000}) {
        for (double order : new double[] {1.1, 1.5, 2.5, 3.7, 7.3, 10.9, 20.5, 63.5}) {
          double expected = logAByQuadrature(q, sigma, order);
          double actual = SubsampledGaussianRdp.logAFractional(q, sigma, order);
          assertThat(actual).as("q=%s sigma=%s order=%s", q, sigma, order)
              .isCloseTo(expected, within(1e-12 * expected + logARounding(order)));
        }
      }
    }
  }

  @Test
  void slowlyConvergingTailsAreSummedToTheRounding() {
    // q = 0.5 and huge sigma: z0 = 1/2 and the alternating tail decays like i^-(a+2), below e^-30 of the sum only
    // after thousands of terms; stopping there left 1e-13 in log A (7e-4 of it at order 1.1)
    for (double order : new double[] {1.01, 1.1, 1.5}) {
      double expected = logAByQuadrature(0.5, 1e4, order);
      assertThat(expected).isCloseTo(order * (order - 1) / 8 * Math.expm1(1e-8), within(1e-6 * expected));
      assertThat(SubsampledGaussianRdp.logAFractional(0.5, 1e4, order)).as("order %s", order)
          .isCloseTo(expected, within(1e-12 * expected + logARounding(order)));
    }
  }

  @Test
  void extremeInputsGiveFiniteNonNegativeRdpNonDecreasingInOrder() {
    double[] orders = new double[60];
    for (int k = 0; k < orders.length; k++) {
      orders[k] = 1.01 + 0.37 * k * k;
    }
    for (double q : new double[] {1e-12, 1e-6, 0.003, 0.5, 0.97, 1 - 1e-6, 1 - 1e-12}) {
      for (double sigma : new double[] {0.05, 0.3, 1, 7, 1e4}) {
        double previous = 0;
        double previousOrder = 1;
        for (double order : orders) {
          double rdp = SubsampledGaussianRdp.rdp(q, sigma, order);
          String at = String.format("q=%s sigma=%s order=%s", q, sigma, order);
          double rounding = logARounding(order) / (order - 1);
          // at most the RDP without subsampling, and monotone in the order, up to the rounding of log A
          assertThat(rdp).as(at).isFinite().isGreaterThanOrEqualTo(0)
              .isLessThanOrEqualTo(order / (2 * sigma * sigma) * (1 + 1e-12) + rounding);
          assertThat(rdp).as(at).isGreaterThanOrEqualTo(
              previous * (1 - 1e-12) - logARounding(previousOrder) / (previousOrder - 1) - rounding);
          previous = rdp;
          previousOrder = order;
        }
      }
    }
  }

  @Test
  void aCurveEqualsItsOrdersEvaluatedOneByOne() {
    double[] orders = {70.5, 2, 1.1, 63, 10.9, 1.5, 200, 3.25};
    for (double q : new double[] {1e-5, 0.1, 0.7, 1}) {
      for (double sigma : new double[] {0.6, 1.1, 30}) {
        double[] curve = SubsampledGaussianRdp.curve(q, sigma, orders);
        for (int k = 0; k < orders.length; k++) {
          assertThat(curve[k]).as("q=%s sigma=%s order=%s", q, sigma, orders[k])
              .isEqualTo(SubsampledGaussianRdp.rdp(q, sigma, orders[k]));
        }
      }
    }
  }

  @Test
  void fractionalOrdersLieBetweenTheirIntegerNeighbours() {
    for (double q : new double[] {1e-4, 0.02, 0.3, 0.95}) {
      for (double sigma : new double[] {0.4, 1.1, 6}) {
        for (int a = 2; a < 40; a += 3) {
          double low = SubsampledGaussianRdp.rdp(q, sigma, a);
          double high = SubsampledGaussianRdp.rdp(q, sigma, a + 1);
          double mid = SubsampledGaussianRdp.rdp(q, sigma, a + 0.5);
          String at = String.format("q=%s sigma=%s order=%s", q, sigma, a + 0.5);
          assertThat(mid).as(at).isBetween(low * (1 - 1e-12), high * (1 + 1e-12));
        }
      }
    }
  }

  /**
   * The absolute rounding of {@code log A}: A is near 1 for tiny q or huge sigma, and the exponents of its terms
   * are sums of about {@code order} numbers of order one.
   */
  private static double logARounding(double order) {
    return 1e-15 * order;
  }

  /**
   * {@code log A} with {@code A - 1 = E[(1 + x)^a - 1 - a x]}, {@code x = q (exp((2 sigma t - 1)/(2 sigma^2)) - 1)},
   * t standard normal (the subtracted {@code a x} has mean 0), by the trapezoidal rule with step 0.02 in log space.
   * The integrand is non-negative (convexity) and analytic in the strip {@code |Im t| < pi sigma}, where the rule
   * converges like {@code exp(-2 pi^2 sigma / 0.02)}, so A - 1 keeps its relative accuracy however small it is.
   */
  static double logAByQuadrature(double q, double sigma, double a) {
    double h = 0.02;
    double hi = 40 + a / sigma;
    int n = (int) Math.ceil((hi + 40) / h);
    double[] logTerms = new double[n + 1];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k <= n; k++) {
      double t = -40 + k * h;
      double x = q * Math.expm1((2 * sigma * t - 1) / (2 * sigma * sigma));
      logTerms[k] = -0.5 * t * t + logConvexGap(a, x);
      max = Math.max(max, logTerms[k]);
    }
    double sum = 0;
    for (double logTerm : logTerms) {
      sum += Math.exp(logTerm - max);
    }
    double logAMinus1 = max + Math.log(sum * h / Math.sqrt(2 * Math.PI));
    return logAMinus1 > 0
        ? logAMinus1 + Math.log1p(Math.exp(-logAMinus1))
        : Math.log1p(Math.exp(logAMinus1));
  }

  /** {@code log((1 + x)^a - 1 - a x)} for {@code x > -1}, {@code a > 1}. */
  private static double logConvexGap(double a, double x) {
    if (x == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (Math.abs(x) * Math.max(a, 1) < 0.5) {
      // the binomial series from x^2 on, whose terms shrink at least geometrically by 1/2
      double term = a * (a - 1) / 2 * x * x;
      double sum = term;
      for (int k = 2; Math.abs(term) > 1e-20 * sum; k++) {
        term *= (a - k) / (k + 1) * x;
        sum += term;
      }
      return Math.log(sum);
    }
    double l = a * Math.log1p(x);
    return l < 0 ? Math.log(Math.exp(l) - 1 - a * x) : l + Math.log1p(-(1 + a * x) * Math.exp(-l));
  }
}
