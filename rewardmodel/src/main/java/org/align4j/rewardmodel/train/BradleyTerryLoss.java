package org.align4j.rewardmodel.train;

import org.align4j.core.util.Args;
import org.align4j.core.util.StableMath;

/**
 * The Bradley-Terry reward-model loss of TRL's {@code RewardTrainer}, in float64: per pair {@code -logσ(r_c - r_r -
 * m)} with an optional per-pair margin {@code m}, averaged over the batch, plus the reward-centring term
 * {@code c · mean((r_c + r_r)²)} (Eisenstein et al. 2023; TRL's {@code center_rewards_coefficient}). Immutable.
 */
public final class BradleyTerryLoss {

  private final double centerRewardsCoefficient;

  private BradleyTerryLoss(double centerRewardsCoefficient) {
    this.centerRewardsCoefficient = centerRewardsCoefficient;
  }

  /** The plain loss (no centring term). */
  public static BradleyTerryLoss plain() {
    return new BradleyTerryLoss(0.0);
  }

  /**
   * The loss with a centring term.
   *
   * @param centerRewardsCoefficient the coefficient {@code c >= 0} (0.01 recommended)
   */
  public static BradleyTerryLoss withCentering(double centerRewardsCoefficient) {
    Args.nonNegative("centerRewardsCoefficient", centerRewardsCoefficient);
    Args.finite("centerRewardsCoefficient", centerRewardsCoefficient);
    return new BradleyTerryLoss(centerRewardsCoefficient);
  }

  /** The centring coefficient (0 when off). */
  public double centerRewardsCoefficient() {
    return centerRewardsCoefficient;
  }

  /**
   * Per-pair {@code -logσ(r_c - r_r - m)} (no centring term).
   *
   * @param margins per-pair margins, or null for none
   */
  public double[] perExample(double[] chosen, double[] rejected, double[] margins) {
    check(chosen, rejected, margins);
    double[] out = new double[chosen.length];
    for (int i = 0; i < out.length; i++) {
      double m = margins == null ? 0.0 : margins[i];
      out[i] = -StableMath.logSigmoid(chosen[i] - rejected[i] - m);
    }
    return out;
  }

  /** The centring term {@code c · mean((r_c + r_r)²)} alone. */
  public double centerTerm(double[] chosen, double[] rejected) {
    check(chosen, rejected, null);
    double sum = 0;
    for (int i = 0; i < chosen.length; i++) {
      double s = chosen[i] + rejected[i];
      sum += s * s;
    }
    return centerRewardsCoefficient * sum / chosen.length;
  }

  /** The batch loss: the mean of {@link #perExample} plus {@link #centerTerm}. */
  public double loss(double[] chosen, double[] rejected, double[] margins) {
    double[] per = perExample(chosen, rejected, margins);
    double sum = 0;
    for (double v : per) {
      sum += v;
    }
    return sum / per.length + (centerRewardsCoefficient == 0 ? 0.0 : centerTerm(chosen, rejected));
  }

  /** TRL's reward metrics: accuracy (ties wrong), mean margin, and the minimum, mean and maximum reward. */
  public static RewardMetrics metrics(double[] chosen, double[] rejected) {
    check(chosen, rejected, null);
    int n = chosen.length;
    double correct = 0;
    double margin = 0;
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      correct += chosen[i] > rejected[i] ? 1 : 0;
      margin += chosen[i] - rejected[i];
      sum += chosen[i] + rejected[i];
      min = Math.min(min, Math.min(chosen[i], rejected[i]));
      max = Math.max(max, Math.max(chosen[i], rejected[i]));
    }
    return new RewardMetrics(correct / n, margin / n, min, sum / (2.0 * n), max);
  }

  private static void check(double[] chosen, double[] rejected, double[] margins) {
    Args.check(chosen != null && rejected != null, "chosen and rejected rewards must not be null");
    Args.check(chosen.length > 0, "reward batch is empty: chosen has length 0");
    Args.check(rejected.length == chosen.length, "rejected has length %s, expected %s (the length of chosen)",
        rejected.length, chosen.length);
    Args.check(margins == null || margins.length == chosen.length, "margins has length %s, expected %s",
        (margins == null ? 0 : margins.length), chosen.length);
    for (int i = 0; i < chosen.length; i++) {
      Args.finite("chosen", i, chosen[i]);
      Args.finite("rejected", i, rejected[i]);
      if (margins != null) {
        Args.finite("margins", i, margins[i]);
      }
    }
  }

  /**
   * Reward-model batch metrics as TRL logs them.
   *
   * @param accuracy fraction of pairs with the chosen reward strictly greater
   * @param margin mean of chosen minus rejected reward
   * @param minReward smallest reward over both sides
   * @param meanReward mean reward over both sides
   * @param maxReward largest reward over both sides
   */
  public record RewardMetrics(double accuracy, double margin, double minReward, double meanReward,
      double maxReward) {}
}
