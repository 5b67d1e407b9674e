package org.align4j.memorization.stages;

import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;
import org.align4j.memorization.inference.ScoreKind;

/**
 * The settings of a stage audit, recorded in its result.
 *
 * @param prefixTokens prompt tokens of each example
 * @param suffixTokens target tokens after the prompt
 * @param threshold an example is memorized when its normalised edit distance is at most this
 * @param batchSize examples per batch of prompts
 * @param seed seed of every random choice
 * @param control the control model's name ({@code "control"} or the stage it is), or null without one
 * @param nonMemberSplit the split whose examples no stage was trained on (for membership AUC), or null
 * @param membershipScore the membership-inference score behind the AUC
 * @param piiKey metadata key holding an example's planted PII string
 * @param pairs the stage pairs whose transitions were computed, in order
 */
public record StageAuditSettings(
    int prefixTokens, int suffixTokens, double threshold, int batchSize, long seed, String control,
    String nonMemberSplit, ScoreKind membershipScore, String piiKey, List<StagePair> pairs) {

  /** Validates and copies. */
  public StageAuditSettings {
    Args.positive("prefixTokens", prefixTokens);
    Args.positive("suffixTokens", suffixTokens);
    Args.inClosed("threshold", threshold, 0, 1);
    Args.positive("batchSize", batchSize);
    Objects.requireNonNull(membershipScore, "membershipScore");
    Objects.requireNonNull(piiKey, "piiKey");
    pairs = List.copyOf(Objects.requireNonNull(pairs, "pairs"));
  }
}
