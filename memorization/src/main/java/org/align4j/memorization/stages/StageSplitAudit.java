package org.align4j.memorization.stages;

import java.util.List;
import java.util.Objects;
import org.align4j.memorization.stats.Proportion;

/**
 * The audit of one stage on one split.
 *
 * @param stage the stage's name
 * @param split the split's name
 * @param examples examples in the split
 * @param scanned examples audited (the others are shorter than prefix plus suffix)
 * @param discoverable examples whose greedy continuation is within the threshold of the target
 * @param exactMatch examples whose greedy continuation equals the target
 * @param counterfactual memorized by this stage and not by the control model, or null without a control
 * @param membershipAuc ROC AUC of the membership score separating this split from the non-member split, or null
 *     without one (and for the non-member split itself)
 * @param piiRegurgitated among the examples whose target holds their PII string, those whose continuation
 *     reproduces it (0 trials when none does)
 * @param memorizedIds the ids of the discoverably memorized examples, in data order
 */
public record StageSplitAudit(
    String stage, String split, long examples, long scanned, Proportion discoverable, Proportion exactMatch,
    Proportion counterfactual, Double membershipAuc, Proportion piiRegurgitated, List<String> memorizedIds) {

  /** Validates and copies. */
  public StageSplitAudit {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(discoverable, "discoverable");
    Objects.requireNonNull(exactMatch, "exactMatch");
    Objects.requireNonNull(piiRegurgitated, "piiRegurgitated");
    memorizedIds = List.copyOf(Objects.requireNonNull(memorizedIds, "memorizedIds"));
  }
}
