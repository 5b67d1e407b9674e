package org.align4j.optimizers.rl;

import static org.align4j.optimizers.preference.RlhfVectors.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** GRPO, RLOO and REINFORCE++ against slow, obvious implementations written here. */
class GroupAdvantagesTest {

  private static final double[] REWARDS = {1.0, 0.0, 0.5, 2.0, -1.0, -1.5, 0.25, -0.5};

  @Test
  void grpoGroupScaling() {
    double[] a = GroupAdvantages.grpo(REWARDS, 4, GroupAdvantages.Scaling.GROUP);
    // group 0: mean 0.875, unbiased std sqrt(((.125)^2 + .875^2 + .375^2 + 1.125^2) / 3)
    double std0 = Math.sqrt((0.125 * 0.125 + 0.875 * 0.875 + 0.375 * 0.375 + 1.125 * 1.125) / 3);
    assertClose("a0", a[0], 0.125 / (std0 + 1e-4));
    assertClose("a3", a[3], 1.125 / (std0 + 1e-4));
    double[] none = GroupAdvantages.grpo(REWARDS, 4, GroupAdvantages.Scaling.NONE);
    assertClose("dr grpo", none[5], -1.5 - (-1.0 - 1.5 + 0.25 - 0.5) / 4);
    double[] batch = GroupAdvantages.grpo(REWARDS, 4, GroupAdvantages.Scaling.BATCH);
    assertClose("batch scaling", batch[5], none[5] / (sampleStd(REWARDS) + 1e-4));
  }

  @Test
  void grpoStdEpsilonConventionsAgainstHandComputedValues() {
    // Group {1, 0, 0, 0}: mean 0.25, unbiased std sqrt((0.75^2 + 3 * 0.25^2) / 3) = 0.5 exactly.
    double[] rewards = {1, 0, 0, 0, 0, 2e-6};
    double[] trl = GroupAdvantages.grpo(new double[] {1, 0, 0, 0}, 4, GroupAdvantages.Scaling.GROUP,
        GroupAdvantages.TRL_STD_EPSILON);
    assertClose("TRL 0.75 / 0.5001", trl[0], 1.4997000599880024);
    assertClose("TRL -0.25 / 0.5001", trl[1], -0.4999000199960008);
    assertThat(GroupAdvantages.grpo(new double[] {1, 0, 0, 0}, 4, GroupAdvantages.Scaling.GROUP))
        .as("the default is TRL's").containsExactly(trl);
    double[] openRlhf = GroupAdvantages.grpo(new double[] {1, 0, 0, 0}, 4, GroupAdvantages.Scaling.GROUP,
        GroupAdvantages.OPENRLHF_STD_EPSILON);
    assertClose("OpenRLHF 0.75 / (0.5 + 1e-9)", openRlhf[0], 1.4999999970000002);
    assertClose("OpenRLHF -0.25 / (0.5 + 1e-9)", openRlhf[1], -0.49999999900000003);
    // Group {0, 2e-6}: std sqrt(2) * 1e-6, where the epsilons differ most: TRL damps, OpenRLHF normalises.
    double[] small = {0, 2e-6};
    assertClose("TRL small group", GroupAdvantages.grpo(small, 2, GroupAdvantages.Scaling.GROUP,
        GroupAdvantages.TRL_STD_EPSILON)[0], -0.009860550753913472);
    assertClose("OpenRLHF small group", GroupAdvantages.grpo(small, 2, GroupAdvantages.Scaling.GROUP,
        GroupAdvantages.OPENRLHF_STD_EPSILON)[0], -0.7066071344901147);
    // Agreeing rewards give 0 under either; batch scaling takes the epsilon too.
    assertThat(GroupAdvantages.grpo(new double[] {2, 2}, 2, GroupAdvantages.Scaling.GROUP,
        GroupAdvantages.OPENRLHF_STD_EPSILON)).containsExactly(0.0, 0.0);
    double[] none = GroupAdvantages.grpo(rewards, 2, GroupAdvantages.Scaling.NONE);
    double[] batch = GroupAdvantages.grpo(rewards, 2, GroupAdvantages.Scaling.BATCH, 0.5);
    assertClose("batch", batch[5], none[5] / (sampleStd(rewards) + 0.5));
    for (double bad : new double[] {0, -1e-9, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> GroupAdvantages.grpo(small, 2,
          GroupAdvantages.Scaling.GROUP, bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("stdEpsilon");
    }
  }

  @Test
  void rlooUsesTheOtherCompletionsAsBaseline() {
    double[] a = GroupAdvantages.rloo(REWARDS, 4);
    for (int i = 0; i < REWARDS.length; i++) {
      int g = i / 4 * 4;
      double others = 0;
      for (int j = g; j < g + 4; j++) {
        others += j == i ? 0 : REWARDS[j];
      }
      assertClose("rloo[" + i + "]", a[i], REWARDS[i] - others / 3);
    }
    assertClose("group sum", a[0] + a[1] + a[2] + a[3], 0.0, 0, 1e-12);
  }

  @Test
  void reinforcePlusPlusWhitensReturnsToGo() {
    Random random = new Random(7);
    double[][] rewards = new double[3][5];
    double[][] mask = {{1, 1, 1, 1, 1}, {1, 1, 0, 0, 0}, {1, 1, 1, 0, 0}};
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < 5; t++) {
        rewards[b][t] = mask[b][t] * random.nextGaussian();
      }
    }
    double[][] a = GroupAdvantages.reinforcePlusPlus(rewards, mask, 1.0);
    double[] valid = new double[10];
    int k = 0;
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < 5; t++) {
        double g = 0;
        for (int s = t; s < 5; s++) {
          g += rewards[b][s];
        }
        if (mask[b][t] == 1) {
          valid[k++] = g;
        }
      }
    }
    double mean = 0;
    for (double v : valid) {
      mean += v / valid.length;
    }
    double var = 0;
    for (double v : valid) {
      var += (v - mean) * (v - mean) / valid.length;
    }
    assertClose("first", a[0][0], (valid[0] - mean) / Math.sqrt(var));
    assertThat(a[1][2]).isZero();
    double sum = 0;
    for (double[] row : a) {
      for (double x : row) {
        sum += x;
      }
    }
    assertClose("whitened sum", sum, 0.0, 0, 1e-12);
  }

  private static double sampleStd(double[] x) {
    double m = 0;
    for (double v : x) {
      m += v / x.length;
    }
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (x.length - 1));
  }
}
