package org.align4j.optimizers.dp;

import java.util.Objects;
import org.align4j.core.dp.DpSgdConfig;

/**
 * Settings of differentially private reward-model training: the shared DP-SGD settings ({@link DpSgdConfig}: sigma
 * or a target epsilon, q or an expected batch size, steps or epochs, C, delta, AdamW and the schedule, gradient
 * path, accountant, seed; its "examples" are preference pairs here) and whether the pairs' margins enter the loss.
 *
 * @param dp the DP-SGD settings, over pairs
 * @param useMargins whether a pair's margin m enters {@code -log sigmoid(r_c - r_r - m)} (absent margins are 0)
 */
public record DpRewardConfig(DpSgdConfig dp, boolean useMargins) {

  /** Validates. */
  public DpRewardConfig {
    Objects.requireNonNull(dp, "dp");
  }

  /** The DP-SGD settings with margins used, as the non-private reward trainer does by default. */
  public static DpRewardConfig of(DpSgdConfig dp) {
    return new DpRewardConfig(dp, true);
  }
}
