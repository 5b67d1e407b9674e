package org.align4j.memorization;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;
import org.align4j.memorization.distance.Normalization;

/**
 * The settings of a scan, recorded in its report. Build one with {@link Auditor#builder()}.
 *
 * @param prefixTokens tokens of each example given as the prompt (default 32)
 * @param suffixTokens tokens after the prompt that form the target (default 48)
 * @param threshold an example is memorized when its normalised distance is at most this, in [0, 1] (default 0.1)
 * @param normalization how the token distance is normalised (default by target length)
 * @param prefixOffsets token offsets at which windows start (default [0]); the reported window is the best one
 * @param batchSize examples per batch of prompts (default 16)
 * @param threads worker threads over batches (default 1: the calling thread)
 * @param prependBos whether prompts and scored sequences start with the tokenizer's BOS (default true)
 * @param samples sampled continuations per example for extraction probability (0 = off, the default)
 * @param temperature sampling temperature (used when samples > 0)
 * @param redactVisibleChars -1 keeps texts; otherwise texts are replaced by a hash and their first chars
 * @param keepOnlyMemorized keep only memorized findings (the summary still covers every example)
 * @param membershipScores whether to compute membership-inference scores (default true)
 * @param minKPercent the k of Min-K% probability, in (0, 100] (default 20)
 * @param membershipKey metadata key whose boolean value marks members, for membership evaluation ("member")
 * @param groupBy metadata keys to break rates down by; empty means every key (the default)
 * @param maxGroupsPerKey a key with more distinct values is not broken down (default 50)
 * @param seed seed of every random choice (sampling)
 */
public record AuditConfig(
    int prefixTokens,
    int suffixTokens,
    double threshold,
    Normalization normalization,
    List<Integer> prefixOffsets,
    int batchSize,
    int threads,
    boolean prependBos,
    int samples,
    double temperature,
    int redactVisibleChars,
    boolean keepOnlyMemorized,
    boolean membershipScores,
    double minKPercent,
    String membershipKey,
    List<String> groupBy,
    int maxGroupsPerKey,
    long seed) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Validates and copies. */
  public AuditConfig {
    Args.positive("prefixTokens", prefixTokens);
    Args.positive("suffixTokens", suffixTokens);
    Args.inClosed("threshold", threshold, 0, 1);
    Objects.requireNonNull(normalization, "normalization");
    prefixOffsets = checkOffsets(prefixOffsets);
    Args.positive("batchSize", batchSize);
    Args.positive("threads", threads);
    Args.nonNegative("samples", samples);
    if (samples > 0) {
      Args.positive("temperature", temperature);
      Args.finite("temperature", temperature);
    }
    Args.check(redactVisibleChars >= -1, "redactVisibleChars must be >= -1, got %s", redactVisibleChars);
    Args.inOpenClosed("minKPercent", minKPercent, 0, 100);
    Objects.requireNonNull(membershipKey, "membershipKey");
    groupBy = List.copyOf(Objects.requireNonNull(groupBy, "groupBy"));
    Args.positive("maxGroupsPerKey", maxGroupsPerKey);
  }

  /** Validates prefix offsets (at least one, non-negative, strictly increasing) and copies them. */
  static List<Integer> checkOffsets(List<Integer> offsets) {
    List<Integer> copy = List.copyOf(Objects.requireNonNull(offsets, "prefixOffsets"));
    Args.check(!copy.isEmpty(), "prefixOffsets must hold at least one offset");
    for (int i = 0; i < copy.size(); i++) {
      Args.nonNegative("prefixOffsets[" + i + "]", copy.get(i));
      Args.check(i == 0 || copy.get(i) > copy.get(i - 1), "prefixOffsets must be strictly increasing, got %s", copy);
    }
    return copy;
  }
}
