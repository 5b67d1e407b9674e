package org.align4j.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** {@link StableMath} against the textbook formulas where those are accurate, and in the tails where they fail. */
class StableMathTest {

  @Test
  void matchesTheTextbookFormulasAtModerateInputs() {
    for (double x = -30; x <= 30; x += 0.37) {
      double sigmoid = 1 / (1 + Math.exp(-x));
      assertThat(StableMath.sigmoid(x)).as("sigmoid(%s)", x).isCloseTo(sigmoid, within(1e-15 * (1 + sigmoid)));
      assertThat(StableMath.logSigmoid(x)).as("logSigmoid(%s)", x)
          .isCloseTo(Math.log(sigmoid), within(1e-12 * (1 + Math.abs(Math.log(sigmoid)))));
      double softplus = Math.log(1 + Math.exp(x));
      assertThat(StableMath.softplus(x)).as("softplus(%s)", x).isCloseTo(softplus, within(1e-12 * (1 + softplus)));
      assertThat(StableMath.softplus(x)).isEqualTo(-StableMath.logSigmoid(-x));
      for (double y = -20; y <= 20; y += 3.1) {
        double lse = Math.log(Math.exp(x) + Math.exp(y));
        assertThat(StableMath.logAddExp(x, y)).as("logAddExp(%s, %s)", x, y)
            .isCloseTo(lse, within(1e-12 * (1 + Math.abs(lse))));
        assertThat(StableMath.logAddExp(x, y)).isEqualTo(StableMath.logAddExp(y, x));
      }
    }
  }

  @Test
  void keepsTheTailsWhereTheTextbookFormulasRoundToZeroOrOverflow() {
    // log(sigmoid(40)) = -log1p(exp(-40)), about -exp(-40); the textbook formula rounds it to 0.
    assertThat(StableMath.logSigmoid(40)).isCloseTo(-Math.exp(-40), within(1e-30));
    assertThat(StableMath.logSigmoid(-1000)).isEqualTo(-1000.0);
    assertThat(StableMath.softplus(1000)).isEqualTo(1000.0);
    assertThat(StableMath.softplus(-800)).isCloseTo(Math.exp(-800), within(1e-320));
    assertThat(StableMath.sigmoid(-745)).isGreaterThan(0).isCloseTo(Math.exp(-745), within(1e-323));
    assertThat(StableMath.logAddExp(1000, 1000)).isCloseTo(1000 + Math.log(2), within(1e-12));
    assertThat(StableMath.logAddExp(-1000, -1000)).isCloseTo(-1000 + Math.log(2), within(1e-12));
  }

  @Test
  void extremeInputsGiveNoNaN() {
    double[] xs = {Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1e300, -1, -0.0, 0, 1e-300, 1e300,
        Double.MAX_VALUE, Double.POSITIVE_INFINITY};
    for (double x : xs) {
      assertThat(StableMath.sigmoid(x)).as("sigmoid(%s)", x).isBetween(0.0, 1.0);
      assertThat(StableMath.logSigmoid(x)).as("logSigmoid(%s)", x).isNotNaN().isLessThanOrEqualTo(0.0);
      assertThat(StableMath.softplus(x)).as("softplus(%s)", x).isNotNaN().isGreaterThanOrEqualTo(0.0);
      for (double y : xs) {
        assertThat(StableMath.logAddExp(x, y)).as("logAddExp(%s, %s)", x, y).isNotNaN()
            .isGreaterThanOrEqualTo(Math.max(x, y));
      }
    }
    assertThat(StableMath.logAddExp(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY))
        .isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(StableMath.logAddExp(Double.NEGATIVE_INFINITY, 3.5)).isEqualTo(3.5);
    assertThat(StableMath.logAddExp(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY))
        .isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(StableMath.sigmoid(0)).isEqualTo(0.5);
    assertThat(StableMath.logSigmoid(0)).isEqualTo(-Math.log(2));
  }
}
