package org.align4j.rewardmodel.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Both ways of summing a window (group by group, and through the tree of moments) against {@link NaiveLowess}. */
class LowessWindowsTest {

  @ParameterizedTest
  @CsvSource({
    "1, 3000, 0, 0.1, 0.01, true", "2, 3000, 40, 0.1, 0.01, true", "3, 2000, 0, 0.3, 0.05, true",
    "4, 1500, 0, 0.1, 0, false", "5, 1500, 300, 0.5, 0.001, false", "6, 5000, 0, 0.02, 0.003, true",
    "7, 800, 7, 0.9, 0.2, true", "8, 2, 0, 1.0, 0.01, true"})
  void bothPathsEqualTheNaiveFit(long seed, int n, int distinct, double frac, double deltaOfRange,
      boolean direct) {
    Random random = new Random(seed);
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = distinct > 0 ? random.nextInt(distinct) * 0.5 - 3 : random.nextDouble() * 60 - 30;
      double noise = random.nextDouble() < 0.05 ? random.nextGaussian() * 20 : random.nextGaussian();
      y[i] = Math.cos(x[i] / 5.0) * 4 + 0.2 * x[i] + noise;
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    Lowess lowess = Lowess.builder().frac(frac).iterations(3).delta(deltaOfRange * (hi - lo)).build();
    SortedGroups groups = SortedGroups.of(x);
    LowessWindows windows = LowessWindows.of(groups, lowess.neighbours(n), lowess.delta());
    assertThat(new GroupSmoother(groups, windows, x.clone()).direct()).as("sums group by group").isEqualTo(direct);
    double[] fast = lowess.fit(x, y).fitted();
    double[] slow = NaiveLowess.fit(lowess, x, y);
    for (int i = 0; i < n; i++) {
      assertThat(fast[i]).as("point %d", i).isCloseTo(slow[i], within(1e-9 * Math.max(1, Math.abs(slow[i]))));
    }
  }
}
