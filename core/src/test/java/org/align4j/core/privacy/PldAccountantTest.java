package org.align4j.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.align4j.core.privacy.SubsampledGaussianPld.Adjacency;
import org.junit.jupiter.api.Test;

class PldAccountantTest {

  @Test
  void staysWithinHalfAPercentAboveAndNeverFarBelowDpAccountingAndBelowRdp() {
    for (DpReference row : DpReference.rows("pld")) {
      double epsilon = new PldAccountant().add(row.sigma(), row.q(), row.steps()).epsilon(row.delta());
      assertThat(epsilon).as("%s", row)
          .isLessThanOrEqualTo(row.epsilon() * 1.005)
          .isGreaterThanOrEqualTo(row.epsilon() - 1e-3);
      double rdp = new RdpAccountant().add(row.sigma(), row.q(), row.steps()).epsilon(row.delta());
      assertThat(rdp).as("%s", row).isGreaterThanOrEqualTo(epsilon);
    }
  }

  @Test
  void fullSamplingIsAnUpperBoundOfTheExactGaussianMechanism() {
    // T compositions of the Gaussian mechanism with noise sigma are one with noise sigma / sqrt(T)
    double[][] cases = {{1.0, 1}, {5.0, 100}, {2.0, 7}};
    for (double[] c : cases) {
      double mu = Math.sqrt(c[1]) / c[0];
      double exact = exactGaussianEpsilon(mu, 1e-6);
      double pld = new PldAccountant().add(c[0], 1.0, (long) c[1]).epsilon(1e-6);
      assertThat(pld).as("sigma %s steps %s", c[0], c[1])
          .isGreaterThanOrEqualTo(exact - 1e-9)
          .isLessThan(exact * 1.001);
      double delta = new PldAccountant().add(c[0], 1.0, (long) c[1]).delta(exact);
      assertThat(delta).isGreaterThanOrEqualTo(1e-6 * (1 - 1e-9)).isLessThan(1.1e-6);
    }
  }

  @Test
  void oneStepDistributionsAreProbabilityDistributionsDominatingTheTruth() {
    for (Adjacency adjacency : Adjacency.values()) {
      PrivacyLossPmf pmf = SubsampledGaussianPld.pmf(1.1, 0.01, adjacency, 1e-3, 1e-15);
      assertThat(pmf.finiteMass() + pmf.infinityMass()).isCloseTo(1, within(1e-12));
      double qMass = 0;
      for (int i = 0; i < pmf.size(); i++) {
        qMass += pmf.mass(i) * Math.exp(-(pmf.offset() + i) * pmf.interval());
      }
      assertThat(qMass).isLessThanOrEqualTo(1 + 1e-12);
      // equal at grid points, above in between (the chord over the convex curve)
      for (double eps : new double[] {0.0, 0.005, 0.01, 0.02}) {
        double truth = trueOneStepDelta(1.1, 0.01, adjacency, eps);
        assertThat(pmf.delta(eps)).as("%s eps %s", adjacency, eps).isCloseTo(truth, within(1e-8 * truth));
      }
      for (double eps : new double[] {0.0005, 0.0055, 0.0075}) {
        double truth = trueOneStepDelta(1.1, 0.01, adjacency, eps);
        assertThat(pmf.delta(eps)).as("%s eps %s", adjacency, eps).isGreaterThan(truth * (1 + 1e-8));
      }
    }
  }

  @Test
  void epsilonRisesWithStepsAndSampleRateAndFallsWithNoise() {
    assertThat(epsilon(1.0, 0.01, 500)).isLessThan(epsilon(1.0, 0.01, 1000));
    assertThat(epsilon(1.0, 0.01, 500)).isLessThan(epsilon(1.0, 0.02, 500));
    assertThat(epsilon(1.0, 0.01, 500)).isGreaterThan(epsilon(1.3, 0.01, 500));
  }

  @Test
  void composingTwoHalvesOfAHistoryEqualsTheWhole() {
    PldAccountant first = new PldAccountant();
    first.add(1.0, 0.01, 300).add(2.0, 0.05, 100);
    PldAccountant second = new PldAccountant();
    second.add(2.0, 0.05, 100);
    PldAccountant whole = new PldAccountant();
    whole.add(1.0, 0.01, 300).add(2.0, 0.05, 200);
    assertThat(first.composedWith(second).epsilon(1e-5)).isEqualTo(whole.epsilon(1e-5));
    PldAccountant swapped = new PldAccountant();
    swapped.add(2.0, 0.05, 200).add(1.0, 0.01, 300);
    assertThat(swapped.epsilon(1e-5)).isCloseTo(whole.epsilon(1e-5), within(1e-9));
  }

  @Test
  void selfCompositionAgreesWithRepeatedConvolution() {
    PrivacyLossPmf one = SubsampledGaussianPld.pmf(0.9, 0.1, Adjacency.REMOVE, 1e-3, 1e-15);
    PrivacyLossPmf byPower = one.selfCompose(5, 1e-15);
    PrivacyLossPmf byConvolution = one;
    for (int k = 1; k < 5; k++) {
      byConvolution = byConvolution.convolve(one, 1e-15);
    }
    for (double eps : new double[] {0.1, 0.5, 1, 2}) {
      assertThat(byPower.delta(eps)).isCloseTo(byConvolution.delta(eps), within(1e-12));
    }
  }

  @Test
  void epsilonAndDeltaAreInverse() {
    PldAccountant accountant = new PldAccountant();
    accountant.add(1.0, 0.01, 1000);
    double epsilon = accountant.epsilon(1e-5);
    assertThat(accountant.delta(epsilon)).isCloseTo(1e-5, within(1e-11));
    assertThat(new PldAccountant().epsilon(1e-5)).isZero();
  }

  private static double epsilon(double sigma, double q, long steps) {
    return new PldAccountant(1e-3, 1e-15).add(sigma, q, steps).epsilon(1e-5);
  }

  /** delta(eps) of the Gaussian mechanism with mu = sensitivity / sigma (Balle and Wang 2018). */
  private static double exactGaussianDelta(double mu, double eps) {
    return Erfc.normalUpper(eps / mu - mu / 2) - Math.exp(eps) * Erfc.normalUpper(eps / mu + mu / 2);
  }

  private static double exactGaussianEpsilon(double mu, double delta) {
    double lo = 0;
    double hi = 100;
    for (int k = 0; k < 200; k++) {
      double mid = 0.5 * (lo + hi);
      if (exactGaussianDelta(mu, mid) > delta) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  /** delta(eps) of one subsampled Gaussian step, by numerical integration of E_P[(1 - e^(eps - L))_+]. */
  private static double trueOneStepDelta(double sigma, double q, Adjacency adjacency, double eps) {
    int n = 400_000;
    double lo = -12 * sigma;
    double hi = 1 + 12 * sigma;
    double h = (hi - lo) / n;
    double sum = 0;
    for (int k = 0; k <= n; k++) {
      double x = lo + k * h;
      double p0 = Math.exp(-x * x / (2 * sigma * sigma));
      double p1 = Math.exp(-(x - 1) * (x - 1) / (2 * sigma * sigma));
      double mixture = (1 - q) * p0 + q * p1;
      double p = adjacency == Adjacency.REMOVE ? mixture : p0;
      double qq = adjacency == Adjacency.REMOVE ? p0 : mixture;
      double value = Math.max(0, p - Math.exp(eps) * qq);
      double w = k == 0 || k == n ? 1 : (k % 2 == 1 ? 4 : 2);
      sum += w * value;
    }
    return sum * h / 3 / (sigma * Math.sqrt(2 * Math.PI));
  }
}
