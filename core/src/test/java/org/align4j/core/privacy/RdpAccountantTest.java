package org.align4j.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class RdpAccountantTest {

  @Test
  void matchesOpacusOnTheReferenceRows() {
    for (DpReference row : DpReference.rows("rdp")) {
      RdpAccountant accountant = new RdpAccountant();
      accountant.add(row.sigma(), row.q(), row.steps());
      assertThat(accountant.epsilon(row.delta())).as("%s", row)
          .isCloseTo(row.epsilon(), within(1e-9 * row.epsilon()));
    }
  }

  @Test
  void matchesOpacusWithTheClassicConversion() {
    for (DpReference row : DpReference.rows("rdp_classic_conversion")) {
      RdpAccountant accountant = new RdpAccountant(RdpConversion.CLASSIC);
      accountant.add(row.sigma(), row.q(), row.steps());
      assertThat(accountant.epsilon(row.delta())).as("%s", row)
          .isCloseTo(row.epsilon(), within(1e-9 * row.epsilon()));
    }
  }

  @Test
  void reportsTheOptimalOrderOfTheMnistExample() {
    RdpAccountant accountant = new RdpAccountant();
    accountant.add(1.1, 256.0 / 60000, 14062);
    RdpGuarantee guarantee = accountant.guarantee(1e-5);
    assertThat(guarantee.epsilon()).isCloseTo(2.596555869, within(1e-8));
    double[] rdp = accountant.rdpCurve();
    double[] orders = accountant.orders();
    for (int k = 0; k < orders.length; k++) {
      double eps = RdpConversion.IMPROVED.epsilon(orders[k], rdp[k], Math.log(1e-5));
      assertThat(eps).isGreaterThanOrEqualTo(guarantee.epsilon());
      if (orders[k] == guarantee.optimalOrder()) {
        assertThat(eps).isEqualTo(guarantee.epsilon());
      }
    }
  }

  @Test
  void defaultOrdersAreOpacusOrders() {
    double[] orders = RdpAccountant.defaultOrders();
    assertThat(orders).hasSize(151);
    assertThat(orders[0]).isEqualTo(1.1);
    assertThat(orders[98]).isEqualTo(10.9);
    assertThat(orders[99]).isEqualTo(12);
    assertThat(orders[150]).isEqualTo(63);
  }

  @Test
  void fullSamplingIsTheGaussianMechanism() {
    for (double order : new double[] {1.5, 2, 7.3, 32}) {
      assertThat(RdpAccountant.rdp(0.7, 1.0, order)).isCloseTo(order / (2 * 0.49), within(1e-15 * order));
    }
  }

  @Test
  void fractionalOrdersMatchNumericalIntegrationOfTheDefinition() {
    for (double q : new double[] {0.01, 0.1, 0.5, 0.9}) {
      for (double sigma : new double[] {0.8, 2.0}) {
        for (double order : new double[] {1.5, 2.5, 7.3, 20.5}) {
          double expected = logAByIntegration(q, sigma, order);
          double actual = SubsampledGaussianRdp.logAFractional(q, sigma, order);
          assertThat(actual).as("q=%s sigma=%s order=%s", q, sigma, order)
              .isCloseTo(expected, within(1e-9 * Math.abs(expected) + 1e-13));
        }
      }
    }
  }

  @Test
  void integerOrdersMatchTheDirectBinomialSumAndTheIntegral() {
    for (double q : new double[] {0.01, 0.3, 0.9}) {
      for (double sigma : new double[] {0.9, 3.0}) {
        for (int order : new int[] {2, 3, 10, 40}) {
          double direct = 0;
          for (int i = 0; i <= order; i++) {
            direct += Math.exp(logBinomial(order, i) + i * Math.log(q) + (order - i) * Math.log1p(-q)
                + (i * (double) i - i) / (2 * sigma * sigma));
          }
          double actual = SubsampledGaussianRdp.logAInteger(q, sigma, order);
          assertThat(actual).as("q=%s sigma=%s order=%s", q, sigma, order)
              .isCloseTo(Math.log(direct), within(1e-12 * Math.abs(Math.log(direct)) + 1e-14));
          assertThat(actual).isCloseTo(logAByIntegration(q, sigma, order),
              within(1e-9 * Math.abs(actual) + 1e-13));
        }
      }
    }
  }

  @Test
  void addingAbsoluteValuesInsteadOfSignedTermsOverReportsAtLargeSampleRates() {
    double q = 0.5;
    double sigma = 0.8;
    double order = 2.5;
    double signed = SubsampledGaussianRdp.logAFractional(q, sigma, order);
    double absolute = logAAbsoluteSeries(q, sigma, order);
    assertThat(signed).isCloseTo(logAByIntegration(q, sigma, order), within(1e-10));
    assertThat(absolute).isGreaterThan(signed + 5e-4);
  }

  @Test
  void epsilonRisesWithStepsAndSampleRateAndFallsWithNoise() {
    assertThat(epsilon(1.0, 0.01, 2000)).isLessThan(epsilon(1.0, 0.01, 4000));
    assertThat(epsilon(1.0, 0.01, 2000)).isLessThan(epsilon(1.0, 0.02, 2000));
    assertThat(epsilon(1.0, 0.01, 2000)).isGreaterThan(epsilon(1.2, 0.01, 2000));
    assertThat(epsilon(1.0, 0.5, 10)).isGreaterThan(epsilon(1.0, 0.4, 10));
  }

  @Test
  void composingTwoHalvesOfAHistoryEqualsTheWhole() {
    RdpAccountant first = new RdpAccountant();
    first.add(1.0, 0.01, 300).add(2.0, 0.02, 100);
    RdpAccountant second = new RdpAccountant();
    second.add(2.0, 0.02, 50).add(0.8, 0.001, 1000);
    RdpAccountant whole = new RdpAccountant();
    whole.add(1.0, 0.01, 300).add(2.0, 0.02, 150).add(0.8, 0.001, 1000);
    PrivacyAccountant composed = first.composedWith(second);
    assertThat(composed.history()).isEqualTo(whole.history());
    assertThat(composed.epsilon(1e-6)).isEqualTo(whole.epsilon(1e-6));
    double[] curve = whole.rdpCurve();
    double[] a = first.rdpCurve();
    double[] b = second.rdpCurve();
    for (int k = 0; k < curve.length; k++) {
      assertThat(a[k] + b[k]).isCloseTo(curve[k], within(1e-12 * curve[k]));
    }
  }

  @Test
  void deltaInvertsEpsilon() {
    for (RdpConversion conversion : RdpConversion.values()) {
      RdpAccountant accountant = new RdpAccountant(conversion);
      accountant.add(1.1, 256.0 / 60000, 14062);
      double epsilon = accountant.epsilon(1e-5);
      assertThat(accountant.delta(epsilon)).isCloseTo(1e-5, within(1e-12));
      assertThat(accountant.delta(epsilon * 1.1)).isLessThan(1e-5);
    }
  }

  @Test
  void emptyHistoryIsFreeAndSettingsAreValidated() {
    assertThat(new RdpAccountant().epsilon(1e-5)).isZero();
    assertThat(new RdpAccountant().delta(0.5)).isZero();
    assertThatThrownBy(() -> new RdpAccountant(new double[] {1.0}, RdpConversion.IMPROVED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order");
    assertThatThrownBy(() -> RdpAccountant.rdp(1, 0.1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("order");
  }

  private static double epsilon(double sigma, double q, long steps) {
    return new RdpAccountant().add(sigma, q, steps).epsilon(1e-5);
  }

  /** log E_{z ~ N(0, sigma^2)} [(1 - q + q exp((2z - 1) / (2 sigma^2)))^a] by Simpson's rule, in log scale. */
  static double logAByIntegration(double q, double sigma, double a) {
    double lo = -30 * sigma - 1;
    double hi = a + 30 * sigma + 1;
    int n = 400_000;
    double h = (hi - lo) / n;
    double[] logF = new double[n + 1];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k <= n; k++) {
      double z = lo + k * h;
      double u = Math.log(q) + (2 * z - 1) / (2 * sigma * sigma);
      double v = Math.log1p(-q);
      double m = Math.max(u, v);
      double logRatio = m + Math.log1p(Math.exp(Math.min(u, v) - m));
      logF[k] = -z * z / (2 * sigma * sigma) - Math.log(sigma * Math.sqrt(2 * Math.PI)) + a * logRatio;
      max = Math.max(max, logF[k]);
    }
    double sum = 0;
    for (int k = 0; k <= n; k++) {
      double w = k == 0 || k == n ? 1 : (k % 2 == 1 ? 4 : 2);
      sum += w * Math.exp(logF[k] - max);
    }
    return max + Math.log(sum * h / 3);
  }

  /** The two-series form with every term added as a positive number (the mistake the signed form avoids). */
  private static double logAAbsoluteSeries(double q, double sigma, double a) {
    double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
    double sum = 0;
    for (int i = 0; i < 2000; i++) {
      double j = a - i;
      double logBinom = logAbsBinomial(a, i);
      double s0 = logBinom + i * Math.log(q) + j * Math.log1p(-q) + (i * (double) i - i) / (2 * sigma * sigma)
          + Math.log(0.5) + Erfc.logErfc((i - z0) / (Math.sqrt(2) * sigma));
      double s1 = logBinom + j * Math.log(q) + i * Math.log1p(-q) + (j * j - j) / (2 * sigma * sigma)
          + Math.log(0.5) + Erfc.logErfc((z0 - j) / (Math.sqrt(2) * sigma));
      sum += Math.exp(s0) + Math.exp(s1);
    }
    return Math.log(sum);
  }

  private static double logAbsBinomial(double a, int i) {
    double log = 0;
    for (int k = 0; k < i; k++) {
      log += Math.log(Math.abs(a - k)) - Math.log(k + 1);
    }
    return log;
  }

  private static double logBinomial(int n, int k) {
    return Gamma.logGamma(n + 1) - Gamma.logGamma(k + 1) - Gamma.logGamma(n - k + 1);
  }
}
