package org.align4j.rewardmodel.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RewardEvaluationTest {

  @Test
  void accuracyCountsTiesAsWrongAndSplitsByCategory() {
    double[] chosen = {2, 1, 3, 0, 5};
    double[] rejected = {1, 1, 4, -1, 5};
    String[] categories = {"a", "a", "b", "b", ""};
    RewardEvaluation e = RewardEvaluation.of(chosen, rejected, categories, null, null);
    assertThat(e.pairs()).isEqualTo(5);
    assertThat(e.accuracy()).isEqualTo(0.4);
    assertThat(e.accuracyByCategory()).isEqualTo(Map.of("a", 0.5, "b", 0.5));
    assertThat(e.pairsByCategory()).containsEntry("a", 2).containsEntry("b", 2).hasSize(2);
    assertThat(e.meanMargin()).isCloseTo(0.2, within(1e-15));
    assertThat(e.chosen().max()).isEqualTo(5.0);
    assertThat(e.rejected().mean()).isEqualTo(2.0);
    assertThat(e.rewardBench()).isEmpty();
    assertThat(e.lengthCorrelation()).isEmpty();
  }

  @Test
  void rewardBenchSectionsUseOfficialWeights() {
    Map<String, Double> accuracy = new java.util.HashMap<>();
    accuracy.put("math-prm", 1.0);
    accuracy.put("hep-go", 0.0);
    accuracy.put("alpacaeval-easy", 0.5);
    accuracy.put("not-a-subset", 0.0);
    RewardBenchScores s = RewardBench.score(accuracy);
    assertThat(s.section(RewardBenchSection.REASONING).getAsDouble())
        .isCloseTo(100.0 * 984 / (984 + 164), within(1e-12));
    assertThat(s.section(RewardBenchSection.CHAT).getAsDouble()).isEqualTo(50.0);
    assertThat(s.section(RewardBenchSection.SAFETY)).isEmpty();
    assertThat(s.overall()).isCloseTo((50.0 + 100.0 * 984 / 1148) / 2, within(1e-12));
    assertThat(RewardBench.officialWeights()).hasSize(23).containsEntry("math-prm", 984)
        .containsEntry("xstest-should-respond", 250);
    assertThat(RewardBench.sectionOf("llmbar-adver-GPTOut")).contains(RewardBenchSection.CHAT_HARD);
  }

  @Test
  void spearmanMatchesAnObviousImplementationWithTies() {
    Random random = new Random(3);
    double[] a = new double[200];
    double[] b = new double[200];
    for (int i = 0; i < 200; i++) {
      a[i] = random.nextInt(20);
      b[i] = a[i] + random.nextInt(10);
    }
    assertThat(Correlation.spearman(a, b)).isCloseTo(slowSpearman(a, b), within(1e-12));
    assertThat(Correlation.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1})).isCloseTo(-1, within(1e-15));
    assertThat(Correlation.spearman(new double[] {1, 1}, new double[] {1, 2})).isNaN();
  }

  private static double slowSpearman(double[] a, double[] b) {
    double[] ra = slowRanks(a);
    double[] rb = slowRanks(b);
    int n = a.length;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += ra[i] / n;
      mb += rb[i] / n;
    }
    double num = 0;
    double da = 0;
    double db = 0;
    for (int i = 0; i < n; i++) {
      num += (ra[i] - ma) * (rb[i] - mb);
      da += (ra[i] - ma) * (ra[i] - ma);
      db += (rb[i] - mb) * (rb[i] - mb);
    }
    return num / Math.sqrt(da * db);
  }

  /** Rank = (number smaller) + (number equal + 1) / 2. */
  private static double[] slowRanks(double[] v) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      int less = 0;
      int equal = 0;
      for (double w : v) {
        less += w < v[i] ? 1 : 0;
        equal += w == v[i] ? 1 : 0;
      }
      r[i] = less + (equal + 1) / 2.0;
    }
    return r;
  }

  @Test
  void lengthCorrelationPoolsChosenAndRejected() {
    RewardEvaluation e = RewardEvaluation.of(new double[] {1, 3}, new double[] {2, 4}, null,
        new double[] {10, 30}, new double[] {20, 40});
    assertThat(e.lengthCorrelation().getAsDouble()).isCloseTo(1.0, within(1e-15));
  }

  @Test
  void rejectsNonFiniteRewards() {
    assertThatThrownBy(() -> RewardEvaluation.of(new double[] {1, Double.NaN}, new double[] {0, 0}))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("chosen reward [1] must be finite, got NaN");
    assertThatThrownBy(() -> RewardEvaluation.of(new double[] {1}, new double[] {Double.POSITIVE_INFINITY}))
        .hasMessageContaining("rejected reward [0]");
    assertThatThrownBy(() -> RewardEvaluation.of(new double[] {1}, new double[] {1, 2}))
        .hasMessageContaining("rejected");
    assertThat(RewardEvaluation.preferenceChangedFraction(new double[] {1, 1}, new double[] {0, 0},
        new double[] {1, 0}, new double[] {0, 0})).isEqualTo(0.5);
  }
}
