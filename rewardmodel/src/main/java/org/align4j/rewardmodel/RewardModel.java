package org.align4j.rewardmodel;

import java.util.List;

/**
 * Scores (prompt, response) pairs: higher is better. Implementations are safe to call from several threads.
 */
public interface RewardModel {

  /**
   * Scores each pair {@code (prompts.get(i), responses.get(i))}, batched.
   *
   * @return one finite score per pair
   * @throws IllegalArgumentException when the lists differ in length
   */
  double[] score(List<String> prompts, List<String> responses);

  /** Scores one pair. */
  default double score(String prompt, String response) {
    return score(List.of(prompt), List.of(response))[0];
  }
}
