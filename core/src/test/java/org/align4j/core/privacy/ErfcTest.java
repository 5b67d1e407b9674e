package org.align4j.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

class ErfcTest {

  @Test
  void erfcxMatchesTheSlowEvaluationToARoundingError() {
    for (double x = 0; x < 40; x += 0.0173) {
      double slow = Erfc.slowErfcx(x);
      assertThat(Erfc.erfcx(x)).as("erfcx(%s)", x).isCloseTo(slow, within(5e-15 * slow));
    }
  }

  @Test
  void erfcMatchesCommonsMath() {
    for (double x = -6; x < 25; x += 0.0371) {
      double reference = Erf.erfc(x);
      assertThat(Erfc.erfc(x)).as("erfc(%s)", x).isCloseTo(reference, within(2e-13 * reference));
    }
  }

  @Test
  void logErfcFollowsTheAsymptoticSeriesFarOut() {
    for (double x : new double[] {30, 100, 1e4}) {
      double u = 1 / (2 * x * x);
      double asymptotic = -x * x - Math.log(x * Math.sqrt(Math.PI)) + Math.log1p(-u + 3 * u * u - 15 * u * u * u + 105 * u * u * u * u);
      assertThat(Erfc.logErfc(x)).isCloseTo(asymptotic, within(1e-15 * x * x));
    }
    assertThat(Erfc.logErfc(-30)).isEqualTo(Math.log(2));
    assertThat(Erfc.erfc(Double.POSITIVE_INFINITY)).isZero();
    assertThat(Erfc.erfc(Double.NEGATIVE_INFINITY)).isEqualTo(2);
  }

  @Test
  void normalMassIsAccurateInBothTails() {
    assertThat(Erfc.normalMass(-1, 1)).isCloseTo(0.6826894921370859, within(1e-15));
    double far = Erfc.normalMass(10, 10.5);
    assertThat(Erfc.normalMass(-10.5, -10)).isCloseTo(far, within(1e-14 * far));
    assertThat(far).isCloseTo(Erfc.normalUpper(10) - Erfc.normalUpper(10.5), within(1e-14 * far));
    assertThat(Erfc.normalUpperInverse(Erfc.normalUpper(8.0))).isCloseTo(8.0, within(1e-9));
  }
}
