package org.align4j.rewardmodel.scoring;

import java.util.Objects;

/**
 * One preference pair scored by one reward model.
 *
 * @param rm the reward model's name
 * @param rmId the reward model's fingerprint
 * @param id the pair's id
 * @param subset the pair's category (a RewardBench subset, for example), empty when none
 * @param chosenReward the chosen response's reward, finite
 * @param rejectedReward the rejected response's reward, finite
 * @param chosenLength the chosen response's lengths
 * @param rejectedLength the rejected response's lengths
 */
public record ScoredPair(String rm, String rmId, String id, String subset, double chosenReward,
    double rejectedReward, ResponseLength chosenLength, ResponseLength rejectedLength) {

  /** Checks that nothing is null. */
  public ScoredPair {
    Objects.requireNonNull(rm, "rm");
    Objects.requireNonNull(rmId, "rmId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subset, "subset");
    Objects.requireNonNull(chosenLength, "chosenLength");
    Objects.requireNonNull(rejectedLength, "rejectedLength");
  }
}
