package org.align4j.memorization.report;

import java.util.Objects;
import org.align4j.memorization.stats.Proportion;

/**
 * Rates within the examples sharing one metadata value.
 *
 * @param scanned examples scanned in the group
 * @param memorized memorized examples, with its Wilson interval
 * @param counterfactuallyMemorized counterfactually memorized examples, or null without a control model
 */
public record GroupSummary(long scanned, Proportion memorized, Proportion counterfactuallyMemorized) {

  /** Validates. */
  public GroupSummary {
    Objects.requireNonNull(memorized, "memorized");
  }
}
