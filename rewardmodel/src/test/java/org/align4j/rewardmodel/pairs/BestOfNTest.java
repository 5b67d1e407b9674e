package org.align4j.rewardmodel.pairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BestOfNTest {

  /**
   * The exact KL of best-of-n over m equally likely, distinct-reward outcomes from the uniform distribution: the
   * maximum of n draws is outcome k with probability (k/m)^n - ((k-1)/m)^n. As m grows it tends to the continuous
   * case that the closed form describes.
   */
  private static double discreteKl(int n, int m) {
    double kl = 0;
    for (int k = 1; k <= m; k++) {
      double p = Math.pow((double) k / m, n) - Math.pow((double) (k - 1) / m, n);
      if (p > 0) {
        kl += p * Math.log(p * m);
      }
    }
    return kl;
  }

  /** The continuous case by midpoint quadrature: the best of n uniforms has density n u^(n-1) on [0, 1]. */
  private static double quadratureKl(int n) {
    int steps = 200_000;
    double kl = 0;
    for (int i = 0; i < steps; i++) {
      double u = (i + 0.5) / steps;
      double density = n * Math.pow(u, n - 1);
      if (density > 0) {
        kl += density * Math.log(density) / steps;
      }
    }
    return kl;
  }

  @Test
  void klMatchesTheDistributionOfTheBestSample() {
    assertThat(BestOfN.kl(1)).isZero();
    for (int n : List.of(2, 3, 4, 8, 16, 64)) {
      double expected = Math.log(n) - (n - 1.0) / n;
      assertThat(BestOfN.kl(n)).as("n=%d", n).isCloseTo(expected, within(1e-15));
      assertThat(BestOfN.kl(n)).as("discrete, n=%d", n).isCloseTo(discreteKl(n, 20_000), within(2e-3));
      assertThat(BestOfN.kl(n)).as("quadrature, n=%d", n).isCloseTo(quadratureKl(n), within(1e-4));
    }
    assertThat(BestOfN.kl(2)).isCloseTo(0.193147, within(1e-6));
  }

  @Test
  void klIncreasesWithN() {
    double previous = -1;
    for (int n = 1; n <= 1000; n++) {
      assertThat(BestOfN.kl(n)).isGreaterThan(previous);
      previous = BestOfN.kl(n);
    }
  }

  @Test
  void bestIsTheFirstHighestOfTheRange() {
    double[] scores = {5, 1, 3, 3, 2, 9};
    assertThat(BestOfN.best(scores, 1, 4)).isEqualTo(2);
    assertThat(BestOfN.best(scores, 0, 6)).isEqualTo(5);
    assertThat(BestOfN.best(scores, 4, 1)).isEqualTo(4);
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> BestOfN.kl(0)).hasMessage("n must be > 0, got 0");
    assertThatThrownBy(() -> BestOfN.best(new double[3], 2, 2)).hasMessageContaining("outside the 3 scores");
    assertThatThrownBy(() -> BestOfN.best(new double[] {1, Double.NaN}, 0, 2)).hasMessageContaining("NaN");
  }
}
