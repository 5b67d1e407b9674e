package org.align4j.examples.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Gold-peak detection on hand-made curves, and the gold reward against a hand computation. */
class OveroptimizationPeakTest {

  private static List<OveroptimizationPoint> curve(double[] kl, double[] gold) {
    List<OveroptimizationPoint> out = new java.util.ArrayList<>();
    for (int i = 0; i < kl.length; i++) {
      out.add(OveroptimizationPoint.of(i, kl[i], 0, gold[i]));
    }
    return out;
  }

  @Test
  void findsTheTurnOfARiseAndFall() {
    OveroptimizationPeak p = OveroptimizationPeak.of(curve(new double[] {0, 0.5, 1, 2, 4},
        new double[] {1, 2, 3, 2.5, 1}));
    assertThat(p.step()).isEqualTo(2);
    assertThat(p.kl()).isEqualTo(1);
    assertThat(p.gold()).isEqualTo(3);
    assertThat(p.withinRange()).isTrue();
    assertThat(p.maxKl()).isEqualTo(4);
  }

  @Test
  void aCurveStillRisingHasNoPeakWithinTheRange() {
    OveroptimizationPeak p = OveroptimizationPeak.of(curve(new double[] {0, 1, 2}, new double[] {1, 2, 3}));
    assertThat(p.withinRange()).isFalse();
    assertThat(p.kl()).isEqualTo(2);
    assertThat(OveroptimizationReport.peak(p)).contains("did not peak within the range");
  }

  @Test
  void theFirstOfEqualMaximaIsThePeakAndAPlateauIsNoTurn() {
    OveroptimizationPeak flat = OveroptimizationPeak.of(curve(new double[] {0, 1, 2}, new double[] {1, 3, 3}));
    assertThat(flat.step()).isEqualTo(1);
    assertThat(flat.withinRange()).isFalse();
    OveroptimizationPeak fall = OveroptimizationPeak.of(curve(new double[] {0, 1, 2}, new double[] {5, 3, 4}));
    assertThat(fall.step()).isZero();
    assertThat(fall.kl()).isZero();
    assertThat(fall.withinRange()).isTrue();
    assertThatThrownBy(() -> OveroptimizationPeak.of(List.of())).hasMessageContaining("at least one point");
  }

  @Test
  void goldIsTheMeanBigramLogProbabilityWithAddOneSmoothing() {
    // alphabet {a, b} + other + end: V = 4. Transitions of "ab": other->a, a->b, b->end.
    OveroptimizationGold gold = new OveroptimizationGold(List.of("ab"));
    double ab = Math.log((1 + 1.0) / (1 + 4));
    double bEnd = Math.log((1 + 1.0) / (1 + 4));
    double fromA = Math.log((0 + 1.0) / (1 + 4));
    // prompt ending in 'a', response "b": a->b, b->end
    assertThat(gold.gold("xa", "b")).isCloseTo((ab + bEnd) / 2, within(1e-12));
    // empty response after 'a': a->end only
    assertThat(gold.gold("a", "")).isCloseTo(fromA, within(1e-12));
    // an unseen character maps to "other", whose row was counted once (other->a)
    assertThat(gold.gold("", "z")).isCloseTo((Math.log(1.0 / 5) + Math.log(1.0 / 5)) / 2, within(1e-12));
    assertThat(gold.score(List.of("xa", "a"), List.of("b", ""))).containsExactly(new double[] {(ab + bEnd) / 2,
        fromA}, within(1e-12));
  }
}
