package org.align4j.optimizers.preference;

import static org.align4j.optimizers.preference.RlhfVectors.assertClose;
import static org.align4j.optimizers.preference.RlhfVectors.doubles;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The Bradley-Terry loss against {@code reward_model} in rlhf_vectors.json. */
class BradleyTerryLossTest {

  @Test
  void matchesVectors() {
    for (JsonNode c : RlhfVectors.root().get("reward_model")) {
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
    assertClose("confident right", l[0], 0.0, 0, 0);
    assertClose("confident wrong", l[1], 2e4, 1e-15, 0);
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> BradleyTerryLoss.withCentering(-0.01))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("centerRewardsCoefficient");
    assertThatThrownBy(() -> BradleyTerryLoss.plain().perExample(new double[] {1}, new double[] {1, 2}, null))
        .hasMessageContaining("rejected has length 2");
    assertThatThrownBy(() -> BradleyTerryLoss.plain().loss(new double[] {Double.NaN}, new double[] {1}, null))
        .hasMessage("chosen[0] must be finite, got NaN");
  }
}
