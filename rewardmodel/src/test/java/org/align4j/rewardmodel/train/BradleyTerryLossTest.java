package org.align4j.rewardmodel.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.align4j.core.testing.ReferenceData;
import org.junit.jupiter.api.Test;

/** The Bradley-Terry loss against {@code reward_model} in rlhf_vectors.json (float64 tolerances). */
class BradleyTerryLossTest {

  private static final double RTOL = 1e-9;
  private static final double ATOL = 1e-12;

  @Test
  void matchesVectors() throws Exception {
    JsonNode cases = new ObjectMapper().readTree(ReferenceData.text("rlhf_vectors.json")).get("reward_model");
    assertThat(cases.size()).isPositive();
    for (JsonNode c : cases) {
      JsonNode in = c.get("inputs");
      double[] chosen = doubles(in.get("rewards_chosen"));
      double[] rejected = doubles(in.get("rewards_rejected"));
      double[] margin = doubles(in.get("margin"));
      double coefficient = in.get("center_rewards_coefficient").asDouble();
      BradleyTerryLoss plain = BradleyTerryLoss.plain();
      BradleyTerryLoss centred = BradleyTerryLoss.withCentering(coefficient);
      JsonNode loss = c.get("loss");
      assertClose("bt", plain.perExample(chosen, rejected, null), doubles(c.get("per_example").get("bt")));
      assertClose("bt_margin", plain.perExample(chosen, rejected, margin),
          doubles(c.get("per_example").get("bt_margin")));
      assertClose("loss bt", plain.loss(chosen, rejected, null), loss.get("bt").asDouble());
      assertClose("loss bt_margin", plain.loss(chosen, rejected, margin), loss.get("bt_margin").asDouble());
      assertClose("loss bt_center", centred.loss(chosen, rejected, null), loss.get("bt_center").asDouble());
      assertClose("loss bt_margin_center", centred.loss(chosen, rejected, margin),
          loss.get("bt_margin_center").asDouble());
      assertClose("center_term", centred.centerTerm(chosen, rejected), loss.get("center_term").asDouble());
      BradleyTerryLoss.RewardMetrics m = BradleyTerryLoss.metrics(chosen, rejected);
      JsonNode em = c.get("metrics");
      assertClose("accuracy", m.accuracy(), em.get("accuracy").asDouble());
      assertClose("margin", m.margin(), em.get("margin").asDouble());
      assertClose("min_reward", m.minReward(), em.get("min_reward").asDouble());
      assertClose("mean_reward", m.meanReward(), em.get("mean_reward").asDouble());
      assertClose("max_reward", m.maxReward(), em.get("max_reward").asDouble());
    }
  }

  @Test
  void stableAtExtremeRewardGaps() {
    double[] l = BradleyTerryLoss.plain().perExample(new double[] {1e4, -1e4}, new double[] {-1e4, 1e4}, null);
    assertThat(l[0]).isEqualTo(0.0);
    assertClose("confident wrong", l[1], 2e4);
  }

  @Test
  void tiesCountAsWrong() {
    BradleyTerryLoss.RewardMetrics m = BradleyTerryLoss.metrics(new double[] {1, 2}, new double[] {1, 1});
    assertThat(m.accuracy()).isEqualTo(0.5);
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> BradleyTerryLoss.withCentering(-0.01))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("centerRewardsCoefficient");
    assertThatThrownBy(() -> BradleyTerryLoss.plain().perExample(new double[] {1}, new double[] {1, 2}, null))
        .hasMessageContaining("rejected has length 2");
    assertThatThrownBy(() -> BradleyTerryLoss.plain().loss(new double[] {Double.NaN}, new double[] {1}, null))
        .hasMessage("chosen[0] must be finite, got NaN");
    assertThatThrownBy(() -> BradleyTerryLoss.plain().loss(new double[] {1}, new double[] {0}, new double[] {
        Double.POSITIVE_INFINITY})).hasMessage("margins[0] must be finite, got Infinity");
  }

  private static double[] doubles(JsonNode node) {
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).asDouble();
    }
    return out;
  }

  private static void assertClose(String what, double actual, double expected) {
    assertThat(Math.abs(actual - expected))
        .as("%s: actual %s, expected %s", what, actual, expected)
        .isLessThanOrEqualTo(ATOL + RTOL * Math.abs(expected));
  }

  private static void assertClose(String what, double[] actual, double[] expected) {
    assertThat(actual).as("%s length", what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertClose(what + "[" + i + "]", actual[i], expected[i]);
    }
  }
}
