package org.align4j.rewardmodel.winrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.align4j.rewardmodel.RewardModel;
import org.junit.jupiter.api.Test;

class WinRateTest {

  /** An independent slow fit: plain gradient descent on the same penalised cross-entropy, in another form. */
  private static double[] gradientDescent(double[] y, double[] x, double ridge) {
    double a = 0;
    double b = 0;
    double rate = 0.5 / y.length;
    for (int it = 0; it < 400_000; it++) {
      double ga = 0;
      double gb = ridge * b;
      for (int i = 0; i < y.length; i++) {
        double p = 1 / (1 + Math.exp(-(a + b * x[i])));
        ga += p - y[i];
        gb += (p - y[i]) * x[i];
      }
      a -= rate * ga;
      b -= rate * gb;
    }
    return new double[] {a, b};
  }

  @Test
  void newtonMatchesSlowGradientDescentOnSyntheticData() {
    SplittableRandom random = new SplittableRandom(11);
    int n = 300;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextGaussian();
      double p = 1 / (1 + Math.exp(-(0.4 + 1.3 * x[i])));
      double u = random.nextDouble();
      y[i] = u < 0.1 ? 0.5 : (random.nextDouble() < p ? 1 : 0);
    }
    double[] newton = LogisticFit.fit(y, x, 0.1);
    double[] slow = gradientDescent(y, x, 0.1);
    assertThat(newton[0]).isCloseTo(slow[0], within(1e-6));
    assertThat(newton[1]).isCloseTo(slow[1], within(1e-6));
    assertThat(newton[1]).isBetween(0.8, 1.8);
  }

  @Test
  void aLengthBiasedJudgeHasALowerLengthControlledWinRate() {
    // The model is longer and the judge prefers length, with quality equal: raw win rate high, controlled near 0.5.
    SplittableRandom random = new SplittableRandom(3);
    int n = 400;
    double[] a = new double[n];
    double[] b = new double[n];
    double[] la = new double[n];
    double[] lb = new double[n];
    for (int i = 0; i < n; i++) {
      la[i] = 20 + random.nextInt(30);
      lb[i] = 10 + random.nextInt(30);
      a[i] = 0.1 * la[i] + random.nextGaussian();
      b[i] = 0.1 * lb[i] + random.nextGaussian();
    }
    WinRate w = WinRate.of(a, b, la, lb);
    assertThat(w.winRate()).isGreaterThan(0.7);
    assertThat(w.lengthControlledWinRate()).isBetween(0.35, 0.65).isLessThan(w.winRate());
    assertThat(w.lengthSlope()).isPositive();
    assertThat(w.meanLength()).isGreaterThan(w.meanBaselineLength());
    assertThat(w.wins() + w.ties() + w.losses()).isEqualTo(n);
  }

  @Test
  void invariants() {
    RewardModel judge = (prompts, responses) -> responses.stream().mapToDouble(r -> r.hashCode() % 7).toArray();
    List<String> prompts = List.of("a", "b", "c", "d");
    List<String> responses = List.of("one", "two", "three", "four");
    WinRate self = WinRate.judge(judge, "j", prompts, responses, responses, String::length);
    assertThat(self.winRate()).isEqualTo(0.5);
    assertThat(self.lengthControlledWinRate()).isEqualTo(0.5);
    assertThat(self.ties()).isEqualTo(4);

    // Equal lengths: the controlled win rate is the raw one.
    double[] equal = {5, 5, 5, 5, 5};
    WinRate sameLength = WinRate.of(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 3, 1, 9}, equal, equal);
    assertThat(sameLength.winRate()).isEqualTo(0.5);
    assertThat(sameLength.lengthControlledWinRate()).isEqualTo(sameLength.winRate());
    WinRate allWins = WinRate.of(new double[] {2, 2}, new double[] {1, 1}, new double[] {3, 9}, new double[] {1, 1});
    assertThat(allWins.winRate()).isEqualTo(1.0);
    assertThat(allWins.lengthControlledWinRate()).isEqualTo(1.0);

    SplittableRandom random = new SplittableRandom(5);
    for (int trial = 0; trial < 50; trial++) {
      int n = 2 + random.nextInt(20);
      double[] a = new double[n];
      double[] b = new double[n];
      double[] la = new double[n];
      double[] lb = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = random.nextInt(3);
        b[i] = random.nextInt(3);
        la[i] = random.nextInt(5);
        lb[i] = random.nextInt(5);
      }
      WinRate w = WinRate.of(a, b, la, lb);
      assertThat(w.winRate()).isBetween(0.0, 1.0);
      assertThat(w.lengthControlledWinRate()).isBetween(0.0, 1.0);
      WinRate swapped = WinRate.of(b, a, lb, la);
      assertThat(swapped.winRate()).isCloseTo(1 - w.winRate(), within(1e-12));
      assertThat(swapped.lengthControlledWinRate()).isCloseTo(1 - w.lengthControlledWinRate(), within(1e-7));
    }
  }

  @Test
  void aJudgeReturningNanIsNamed() {
    RewardModel nan = (prompts, responses) -> new double[] {1, Double.NaN};
    assertThatThrownBy(() -> WinRate.judge(nan, "judge pattern:x", List.of("p", "q"), List.of("a", "b"),
        List.of("c", "d"), String::length)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("judge pattern:x returned NaN for the model's response to prompt 2; scores must be finite");
  }
}
