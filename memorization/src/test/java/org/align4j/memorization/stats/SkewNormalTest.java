package org.align4j.memorization.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SkewNormalTest {

  @Test
  void normalLogCdfMatchesKnownValues() {
    assertThat(NormalMath.cdf(0)).isCloseTo(0.5, within(1e-7));
    assertThat(NormalMath.cdf(-1.959963984540054)).isCloseTo(0.025, within(1e-8));
    assertThat(NormalMath.cdf(1.0)).isCloseTo(0.8413447460685429, within(1e-7));
    // log Phi(-10) = log(7.619853024160527e-24)
    assertThat(NormalMath.logCdf(-10)).isCloseTo(Math.log(7.619853024160527e-24), within(1e-5));
    assertThat(NormalMath.logCdf(-1e3)).isFinite().isLessThan(-499_000);
  }

  @Test
  void cdfMatchesClosedFormsAndTheNormal() {
    for (double alpha : new double[] {-5, -1, 0, 0.5, 2, 10}) {
      SkewNormal sn = new SkewNormal(0, 1, alpha);
      assertThat(sn.cdf(0)).as("alpha %s", alpha).isCloseTo(0.5 - Math.atan(alpha) / Math.PI, within(1e-6));
    }
    SkewNormal normal = new SkewNormal(3, 2, 0);
    for (double x : new double[] {-3, 0, 3, 5, 9}) {
      assertThat(normal.cdf(x)).isCloseTo(NormalMath.cdf((x - 3) / 2), within(1e-6));
    }
    // Far lower tail: finite, decreasing, and for alpha = 0 equal to log Phi.
    assertThat(normal.logCdf(3 - 2 * 30)).isCloseTo(NormalMath.logCdf(-30), within(1e-3 * 450));
    SkewNormal right = new SkewNormal(0, 1, 4);
    assertThat(right.logCdf(-20)).isFinite().isLessThan(right.logCdf(-10)).isLessThan(right.logCdf(-1));
  }

  @Test
  void methodOfMomentsRecoversParameters() {
    SplittableRandom rnd = new SplittableRandom(1);
    double alpha = 4;
    double delta = alpha / Math.sqrt(1 + alpha * alpha);
    double[] xs = new double[50_000];
    for (int i = 0; i < xs.length; i++) {
      double u0 = Math.abs(gaussian(rnd));
      double u1 = gaussian(rnd);
      xs[i] = 5 + 2 * (delta * u0 + Math.sqrt(1 - delta * delta) * u1);
    }
    SkewNormal fit = SkewNormal.fit(xs);
    assertThat(fit.location()).isCloseTo(5, within(0.15));
    assertThat(fit.scale()).isCloseTo(2, within(0.15));
    assertThat(fit.shape()).isBetween(2.5, 7.0);
    assertThatThrownBy(() -> SkewNormal.fit(new double[] {1, 1, 1})).hasMessageContaining("not all equal");
  }

  private static double gaussian(SplittableRandom rnd) {
    return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }
}
