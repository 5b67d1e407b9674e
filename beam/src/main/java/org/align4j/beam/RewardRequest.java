package org.align4j.beam;

import java.util.Objects;

/**
 * A (prompt, response) pair to score with {@link RewardScoringTransform}.
 *
 * @param id the pair's id, carried to its {@link RewardScore}
 * @param prompt the prompt
 * @param response the response
 */
public record RewardRequest(String id, String prompt, String response) {

  /** Validates. */
  public RewardRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(response, "response");
  }
}
