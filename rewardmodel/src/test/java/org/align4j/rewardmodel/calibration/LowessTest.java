package org.align4j.rewardmodel.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LowessTest {

  @ParameterizedTest
  @CsvSource({
    "1, 400, 50, 0.9, 3, 0", "2, 400, 50, 0.3, 3, 0", "3, 400, 50, 0.05, 2, 0", "4, 400, 50, 1.0, 0, 0",
    "5, 400, 50, 0.5, 3, 2.5", "6, 1000, 400, 0.7, 3, 0", "7, 1000, 400, 0.2, 1, 7.0",
    "8, 300, 0, 0.9, 3, 0", "9, 300, 0, 0.1, 3, 0", "10, 300, 0, 0.6667, 3, 0.05", "11, 300, 0, 0.01, 3, 0",
    "12, 2, 0, 0.5, 3, 0", "13, 50, 3, 0.3, 4, 0"})
  void fastEqualsNaive(long seed, int n, int distinct, double frac, int iterations, double deltaOfRange) {
    Random random = new Random(seed);
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = distinct > 0 ? random.nextInt(distinct) * 3.0 - 20 : random.nextDouble() * 40 - 10;
      double noise = random.nextDouble() < 0.05 ? random.nextGaussian() * 30 : random.nextGaussian();
      y[i] = Math.sin(x[i] / 7.0) * 5 + 0.1 * x[i] + noise;
    }
    double range = java.util.Arrays.stream(x).max().getAsDouble() - java.util.Arrays.stream(x).min().getAsDouble();
    Lowess lowess = Lowess.builder().frac(frac).iterations(iterations).delta(deltaOfRange * range).build();
    double[] fast = lowess.fit(x, y).fitted();
    double[] slow = NaiveLowess.fit(lowess, x, y);
    for (int i = 0; i < n; i++) {
      assertThat(fast[i]).as("point %d", i).isCloseTo(slow[i], within(1e-9 * Math.max(1, Math.abs(slow[i]))));
    }
  }

  @Test
  void windowsOfOutliersOnlyFallBackToTheirOwnYWithDistinctX() {
    // distinct x, small windows: summed point by point; the last quarter is all outliers, so after the first pass
    // its windows hold fewer than two points of positive weight and each fit is the point's own y
    Random random = new Random(3);
    int n = 200;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 0.5 * random.nextDouble();
      y[i] = i < 150 ? 0.01 * x[i] + 1e-3 * random.nextGaussian() : (i % 2 == 0 ? 1000 : -1000);
    }
    Lowess lowess = Lowess.builder().frac(0.05).iterations(1).build();
    SortedGroups groups = SortedGroups.of(x);
    LowessWindows windows = LowessWindows.of(groups, lowess.neighbours(n), lowess.delta());
    assertThat(new GroupSmoother(groups, windows, y.clone()).direct()).isTrue();
    double[] fast = lowess.fit(x, y).fitted();
    double[] slow = NaiveLowess.fit(lowess, x, y);
    for (int i = 0; i < n; i++) {
      assertThat(fast[i]).as("point %d", i).isCloseTo(slow[i], within(1e-9 * Math.max(1, Math.abs(slow[i]))));
    }
    assertThat(fast[n - 20]).isEqualTo(y[n - 20]);
    assertThat(fast[n - 21]).isEqualTo(y[n - 21]);
  }

  @Test
  void tiedPointsShareOneFitAndKnotsInterpolate() {
    double[] x = {3, 1, 2, 3, 1, 5, 4, 2};
    double[] y = {1, 4, 2, 8, 3, 0, 7, 5};
    LowessFit fit = Lowess.builder().frac(0.8).iterations(1).build().fit(x, y);
    assertThat(fit.knotX()).containsExactly(1, 2, 3, 4, 5);
    assertThat(fit.fitted(0)).isEqualTo(fit.fitted(3));
    assertThat(fit.fitted(1)).isEqualTo(fit.fitted(4));
    assertThat(fit.valueAt(3)).isEqualTo(fit.fitted(0));
    double[] knots = fit.knotY();
    assertThat(fit.valueAt(2.25)).isCloseTo(0.75 * knots[1] + 0.25 * knots[2], within(1e-12));
    assertThat(fit.valueAt(-10)).isEqualTo(knots[0]);
    assertThat(fit.valueAt(99)).isEqualTo(knots[4]);
  }

  @Test
  void reproducesLinesExactly() {
    double[] x = new double[60];
    double[] y = new double[60];
    for (int i = 0; i < 60; i++) {
      x[i] = (i * 7) % 23;
      y[i] = 2 * x[i] + 1;
    }
    double[] fitted = Lowess.builder().frac(0.3).build().fit(x, y).fitted();
    for (int i = 0; i < 60; i++) {
      assertThat(fitted[i]).isCloseTo(y[i], within(1e-9));
    }
  }

  @Test
  void allXEqualGivesTheRobustWeightedMean() {
    double[] x = {5, 5, 5, 5, 5};
    double[] y = {1, 2, 3, 4, 100};
    assertThat(Lowess.builder().iterations(0).build().fit(x, y).fitted())
        .containsOnly(22.0);
    // the obvious robust mean: mean, then bisquare-weighted means with 6 * median |residual|
    double[] w = {1, 1, 1, 1, 1};
    double mean = 0;
    for (int pass = 0; pass <= 3; pass++) {
      double sw = 0;
      double swy = 0;
      for (int i = 0; i < 5; i++) {
        sw += w[i];
        swy += w[i] * y[i];
      }
      mean = swy / sw;
      double[] r = new double[5];
      for (int i = 0; i < 5; i++) {
        r[i] = Math.abs(y[i] - mean);
      }
      double[] sorted = r.clone();
      java.util.Arrays.sort(sorted);
      for (int i = 0; i < 5; i++) {
        double u = Math.min(r[i] / (6 * sorted[2]), 1);
        w[i] = (1 - u * u) * (1 - u * u);
      }
    }
    LowessFit fit = Lowess.defaults().fit(x, y);
    assertThat(fit.knotX()).containsExactly(5);
    assertThat(fit.fitted()).containsOnly(fit.fitted(0));
    assertThat(fit.fitted(0)).isCloseTo(mean, within(1e-12)).isLessThan(5);
    assertThat(NaiveLowess.fit(Lowess.defaults(), x, y)[0]).isCloseTo(mean, within(1e-12));
  }

  @Test
  void validatesConfiguration() {
    assertThatThrownBy(() -> Lowess.builder().frac(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("frac").hasMessageContaining("0.0");
    assertThatThrownBy(() -> Lowess.builder().frac(1.5)).hasMessageContaining("frac").hasMessageContaining("1.5");
    assertThatThrownBy(() -> Lowess.builder().frac(Double.NaN)).hasMessageContaining("frac");
    assertThatThrownBy(() -> Lowess.builder().iterations(-1)).hasMessage("iterations must be >= 0, got -1");
    assertThatThrownBy(() -> Lowess.builder().delta(-0.5)).hasMessage("delta must be >= 0, got -0.5");
    assertThatThrownBy(() -> Lowess.builder().delta(Double.POSITIVE_INFINITY)).hasMessageContaining("delta");
    Lowess lowess = Lowess.builder().frac(1).iterations(0).delta(0).build();
    assertThat(lowess.frac()).isEqualTo(1.0);
    assertThat(lowess.neighbours(10)).isEqualTo(10);
    assertThat(Lowess.builder().frac(0.29).build().neighbours(100)).isEqualTo(29);
    assertThat(Lowess.builder().frac(0.01).build().neighbours(100)).isEqualTo(2);
  }

  @Test
  void validatesInput() {
    Lowess lowess = Lowess.defaults();
    assertThatThrownBy(() -> lowess.fit(new double[] {1, 2, Double.NaN}, new double[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("x[2] must be finite, got NaN");
    assertThatThrownBy(() -> lowess.fit(new double[] {1, 2, 3}, new double[] {1, Double.NEGATIVE_INFINITY, 3}))
        .hasMessage("y[1] must be finite, got -Infinity");
    assertThatThrownBy(() -> lowess.fit(new double[] {1}, new double[] {1}))
        .hasMessageContaining("at least 2 points");
    assertThatThrownBy(() -> lowess.fit(new double[] {1, 2}, new double[] {1}))
        .hasMessageContaining("same length");
  }
}
