package org.align4j.beam;

import java.util.Objects;

/**
 * The reward of one {@link RewardRequest}.
 *
 * @param id the request's id
 * @param reward the reward model's score (higher is better)
 */
public record RewardScore(String id, double reward) {

  /** Validates. */
  public RewardScore {
    Objects.requireNonNull(id, "id");
  }
}
