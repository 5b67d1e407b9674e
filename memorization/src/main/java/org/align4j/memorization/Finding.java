package org.align4j.memorization;

import java.util.Map;
import java.util.Objects;
import org.align4j.memorization.inference.MembershipScores;
import org.align4j.memorization.report.JsonValues;

/**
 * The audit of one example, at its reported window (with several prefix offsets: the window that is
 * counterfactually memorized if any, otherwise the one with the smallest normalised distance).
 *
 * @param id the example's id
 * @param offset token offset at which the window's prompt starts
 * @param prefix the prompt's text (possibly redacted)
 * @param target the target's text (possibly redacted)
 * @param generated the model's greedy continuation (possibly redacted)
 * @param targetTokens tokens in the target
 * @param generatedTokens tokens generated (a final EOS excluded)
 * @param tokenDistance token-level edit distance between target and continuation
 * @param normalizedDistance that distance normalised as configured
 * @param exactMatch whether the continuation equals the target
 * @param memorized whether the normalised distance is at most the threshold
 * @param control the control model's result, or null without a control
 * @param counterfactuallyMemorized memorized at some window where the control is not, or null without control
 * @param extraction sampling results, or null when sampling is off
 * @param membership membership-inference scores, or null when off
 * @param metadata the example's metadata, normalised for JSON
 */
public record Finding(
    String id,
    int offset,
    String prefix,
    String target,
    String generated,
    int targetTokens,
    int generatedTokens,
    int tokenDistance,
    double normalizedDistance,
    boolean exactMatch,
    boolean memorized,
    ControlResult control,
    Boolean counterfactuallyMemorized,
    Extraction extraction,
    MembershipScores membership,
    Map<String, Object> metadata) {

  /** Validates and normalises the metadata. */
  public Finding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(generated, "generated");
    metadata = JsonValues.normalizeMap(metadata);
  }
}
