package org.align4j.memorization.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MembershipEvaluationTest {

  /** P(member > non-member) + P(tie) / 2 over all pairs. */
  static double slowAuc(double[] members, double[] nonMembers) {
    double sum = 0;
    for (double m : members) {
      for (double q : nonMembers) {
        sum += m > q ? 1 : m == q ? 0.5 : 0;
      }
    }
    return sum / ((double) members.length * nonMembers.length);
  }

  @Test
  void aucMatchesPairwiseCountWithTies() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int t = 0; t < 200; t++) {
      double[] m = new double[1 + rnd.nextInt(60)];
      double[] q = new double[1 + rnd.nextInt(60)];
      int levels = 1 + rnd.nextInt(8);
      double shift = rnd.nextDouble();
      for (int i = 0; i < m.length; i++) {
        m[i] = rnd.nextInt(levels) + shift;
      }
      for (int i = 0; i < q.length; i++) {
        q[i] = rnd.nextInt(levels);
      }
      assertThat(MembershipEvaluation.evaluate(m, q).auc()).isCloseTo(slowAuc(m, q), within(1e-12));
    }
  }

  @Test
  void rocPointsAndLowFprRates() {
    double[] members = {10, 9, 8, 1};
    double[] nonMembers = new double[200];
    for (int i = 0; i < 200; i++) {
      nonMembers[i] = i < 199 ? 0 : 9.5;
    }
    MembershipEvaluation e = MembershipEvaluation.evaluate(members, nonMembers);
    // Threshold 10: TPR 0.25 at FPR 0; 9.5 adds a false positive (FPR 0.005 <= 1%): then TPR 0.75 at 9 and 8.
    assertThat(e.tprAt01PercentFpr()).isEqualTo(0.25);
    assertThat(e.tprAt1PercentFpr()).isEqualTo(1.0);
    assertThat(e.curve().get(0).fpr()).isZero();
    assertThat(e.curve().get(e.curve().size() - 1).fpr()).isEqualTo(1.0);
    assertThat(e.curve().get(e.curve().size() - 1).tpr()).isEqualTo(1.0);
    assertThat(e.thinned(3).curve()).hasSize(3);
    assertThat(MembershipEvaluation.evaluate(new double[] {1}, new double[] {1}).auc()).isEqualTo(0.5);
    assertThatThrownBy(() -> MembershipEvaluation.evaluate(new double[0], new double[] {1}))
        .hasMessageContaining("member");
  }

  @Test
  void scoresFromLogProbs() {
    float[] lp = {-1f, -2f, -3f, -4f, -10f};
    byte[] text = "hello hello hello".getBytes(StandardCharsets.UTF_8);
    MembershipScores s = MembershipScores.compute(lp, text, new float[] {-1f, -1f, -1f, -1f, -1f}, 20);
    assertThat(s.loss()).isCloseTo(4.0, within(1e-9));
    assertThat(s.minKProb()).isCloseTo(-10.0, within(1e-9));
    assertThat(MembershipScores.compute(lp, text, null, 40).minKProb()).isCloseTo(-7.0, within(1e-9));
    assertThat(s.zlibBytes()).isEqualTo(MembershipScores.zlibLength(text)).isLessThan(text.length + 12);
    assertThat(s.zlibRatio()).isCloseTo(4.0 / s.zlibBytes(), within(1e-12));
    assertThat(s.referenceDifference()).isCloseTo(3.0, within(1e-9));
    assertThat(ScoreKind.LOSS.oriented(2)).isEqualTo(-2);
    assertThat(ScoreKind.MIN_K_PROB.oriented(-2)).isEqualTo(-2);
  }
}
