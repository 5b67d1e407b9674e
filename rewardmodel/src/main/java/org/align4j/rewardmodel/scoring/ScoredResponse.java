package org.align4j.rewardmodel.scoring;

import java.util.Objects;

/**
 * One response scored by one reward model.
 *
 * @param rm the reward model's name
 * @param rmId the reward model's fingerprint
 * @param id the response's id
 * @param reward the reward, finite
 * @param length the response's lengths
 */
public record ScoredResponse(String rm, String rmId, String id, double reward, ResponseLength length) {

  /** Checks that nothing is null. */
  public ScoredResponse {
    Objects.requireNonNull(rm, "rm");
    Objects.requireNonNull(rmId, "rmId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(length, "length");
  }
}
