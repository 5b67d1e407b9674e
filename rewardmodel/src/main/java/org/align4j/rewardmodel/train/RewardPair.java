package org.align4j.rewardmodel.train;

import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * A tokenized preference pair for reward-model training, the privacy unit of private reward training: both
 * sequences as the reward head reads them (the head reads the last token of each).
 *
 * @param chosen the chosen sequence, at least one token
 * @param rejected the rejected sequence, at least one token
 * @param margin the margin m of {@code -log sigmoid(r_c - r_r - m)} (0 for none), finite
 */
public record RewardPair(int[] chosen, int[] rejected, double margin) {

  /** Validates. */
  public RewardPair {
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    Args.check(chosen.length >= 1, "chosen must hold at least 1 token, got %s", chosen.length);
    Args.check(rejected.length >= 1, "rejected must hold at least 1 token, got %s", rejected.length);
    Args.finite("margin", margin);
  }

  /** The longer sequence's length: the positions the pair needs in the graph. */
  public int length() {
    return Math.max(chosen.length, rejected.length);
  }

  /** Both sequences' tokens together. */
  public int tokens() {
    return chosen.length + rejected.length;
  }
}
