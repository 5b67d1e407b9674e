package org.align4j.rewardmodel.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The early stop of the robustifying passes: R's relative rule, so the fit does not depend on y's unit. */
class LowessConvergenceTest {

  @Test
  void stopsWhenSixMediansAreBelowATenMillionthOfTheMeanResidual() {
    assertThat(Lowess.residualsNegligible(0, 0)).isTrue();
    assertThat(Lowess.residualsNegligible(0, 3)).isTrue();
    assertThat(Lowess.residualsNegligible(1e-9, 1)).isTrue();
    assertThat(Lowess.residualsNegligible(1e-7, 1)).isFalse();
    assertThat(Lowess.residualsNegligible(1e-20, 1e-12)).isTrue();
    assertThat(Lowess.residualsNegligible(1e-12, 1e-12)).isFalse();
    assertThat(Lowess.residualsNegligible(1e-8, 2e-8)).isFalse();
  }

  /** Outliers are down-weighted whatever y's unit: an absolute threshold would skip robustness for tiny y. */
  @ParameterizedTest
  @ValueSource(doubles = {1e-12, 1e-9, 1e-3, 1e6, 1e12})
  void fitScalesWithY(double scale) {
    Random random = new Random(11);
    int n = 400;
    double[] x = new double[n];
    double[] y = new double[n];
    double[] scaled = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextDouble() * 10;
      y[i] = Math.sin(x[i]) + 0.1 * random.nextGaussian() + (random.nextDouble() < 0.1 ? 8 : 0);
      scaled[i] = scale * y[i];
    }
    for (double delta : new double[] {0, 0.2}) {
      Lowess lowess = Lowess.builder().frac(0.3).iterations(3).delta(delta).build();
      double[] unit = lowess.fit(x, y).fitted();
      double[] fit = lowess.fit(x, scaled).fitted();
      double[] naive = NaiveLowess.fit(lowess, x, scaled);
      for (int i = 0; i < n; i++) {
        assertThat(fit[i] / scale).as("point %d", i).isCloseTo(unit[i], within(1e-9 * Math.max(1, Math.abs(unit[i]))));
        assertThat(naive[i] / scale).as("naive point %d", i)
            .isCloseTo(unit[i], within(1e-9 * Math.max(1, Math.abs(unit[i]))));
      }
    }
  }
}
