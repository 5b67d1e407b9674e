package org.align4j.optimizers.rl;

import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * Critic-free advantages: GRPO's group-normalised rewards, RLOO's leave-one-out baseline and REINFORCE++'s
 * whitened returns. Sequence rewards come in groups of {@code groupSize} consecutive completions of one prompt.
 */
public final class GroupAdvantages {

  /**
   * TRL's GRPO epsilon, the default: {@code (r - mean) / (std + 1e-4)}. It bounds an advantage at {@code 1e4} times
   * the centred reward when a group's rewards (almost) agree.
   */
  public static final double TRL_STD_EPSILON = 1e-4;

  /**
   * OpenRLHF's {@code group_norm} epsilon: {@code (r - mean) / (std + 1e-9)}, the standard deviation unbiased as
   * in TRL. A group whose rewards all agree still gets advantages of 0.
   */
  public static final double OPENRLHF_STD_EPSILON = 1e-9;

  private GroupAdvantages() {}

  /** How GRPO scales the centred rewards (TRL's {@code scale_rewards}). */
  public enum Scaling {
    /** Divide by the group's unbiased standard deviation plus epsilon (GRPO). */
    GROUP,
    /** Divide by the whole batch's unbiased standard deviation plus epsilon. */
    BATCH,
    /** No scaling: {@code r - mean_group} (Dr. GRPO). */
    NONE
  }

  /**
   * GRPO advantages with TRL's epsilon ({@link #TRL_STD_EPSILON}): {@code (r_i - mean_g) / (std_g + 1e-4)} under
   * {@link Scaling#GROUP}.
   *
   * @param rewards sequence rewards, {@code groupSize} consecutive completions per prompt
   * @param groupSize completions per prompt, >= 2
   */
  public static double[] grpo(double[] rewards, int groupSize, Scaling scaling) {
    return grpo(rewards, groupSize, scaling, TRL_STD_EPSILON);
  }

  /**
   * GRPO advantages, one per completion (broadcast to its tokens by the caller):
   * {@code (r_i - mean_g) / (std_g + stdEpsilon)} under {@link Scaling#GROUP}, with the unbiased (n - 1) standard
   * deviation; {@link #TRL_STD_EPSILON} and {@link #OPENRLHF_STD_EPSILON} are the two libraries' choices.
   *
   * @param rewards sequence rewards, {@code groupSize} consecutive completions per prompt
   * @param groupSize completions per prompt, >= 2
   * @param stdEpsilon added to the standard deviation before dividing, positive and finite (ignored by
   *     {@link Scaling#NONE})
   */
  public static double[] grpo(double[] rewards, int groupSize, Scaling scaling, double stdEpsilon) {
    Objects.requireNonNull(scaling, "scaling");
    Args.finite("stdEpsilon", Args.positive("stdEpsilon", stdEpsilon));
    checkGroups(rewards, groupSize);
    double[] out = new double[rewards.length];
    double batchStd = scaling == Scaling.BATCH ? std(rewards, 0, rewards.length) : 0;
    for (int g = 0; g < rewards.length; g += groupSize) {
      double mean = mean(rewards, g, groupSize);
      double scale = switch (scaling) {
        case GROUP -> 1 / (std(rewards, g, groupSize) + stdEpsilon);
        case BATCH -> 1 / (batchStd + stdEpsilon);
        case NONE -> 1.0;
      };
      for (int i = g; i < g + groupSize; i++) {
        out[i] = (rewards[i] - mean) * scale;
      }
    }
    return out;
  }

  /**
   * RLOO advantages: {@code r_i - (Σ_j r_j - r_i)/(G - 1)}, the mean of the other completions of the prompt as
   * baseline (TRL subtracts the sequence KL penalty from the rewards before).
   */
  public static double[] rloo(double[] rewards, int groupSize) {
    checkGroups(rewards, groupSize);
    double[] out = new double[rewards.length];
    for (int g = 0; g < rewards.length; g += groupSize) {
      double sum = mean(rewards, g, groupSize) * groupSize;
      for (int i = g; i < g + groupSize; i++) {
        out[i] = rewards[i] - (sum - rewards[i]) / (groupSize - 1);
      }
    }
    return out;
  }

  /**
   * REINFORCE++ advantages (OpenRLHF's {@code reinforce}): discounted returns-to-go of the token rewards
   * ({@link TokenRewards}), {@code G_t = r_t + γ G_{t+1}} over response tokens, whitened over the whole batch
   * with {@link Whitening.Convention#OPENRLHF}; 0 on padding.
   *
   * @param gamma the discount in [0, 1] (OpenRLHF: 1)
   */
  public static double[][] reinforcePlusPlus(double[][] tokenRewards, double[][] mask, double gamma) {
    Args.inClosed("gamma", gamma, 0, 1);
    int t = Rollouts.checkBatch("tokenRewards", tokenRewards);
    Rollouts.checkMask(mask, "tokenRewards", tokenRewards);
    double[][] returns = new double[tokenRewards.length][t];
    for (int b = 0; b < tokenRewards.length; b++) {
      double g = 0;
      for (int i = t - 1; i >= 0; i--) {
        g = tokenRewards[b][i] * mask[b][i] + gamma * g;
        returns[b][i] = g;
      }
    }
    return Whitening.whiten(returns, mask, Whitening.Convention.OPENRLHF, true);
  }

  private static void checkGroups(double[] rewards, int groupSize) {
    Args.check(rewards != null && rewards.length > 0, "empty rollout: no rewards");
    Args.check(groupSize >= 2, "groupSize must be >= 2, got %s", groupSize);
    Args.check(rewards.length % groupSize == 0, "rewards has length %s, not a multiple of groupSize %s", rewards.length,
        groupSize);
    for (int i = 0; i < rewards.length; i++) {
      if (!Double.isFinite(rewards[i])) {
        Args.finite("rewards[" + i + "]", rewards[i]);
      }
    }
  }

  private static double mean(double[] x, int from, int n) {
    double s = 0;
    for (int i = from; i < from + n; i++) {
      s += x[i];
    }
    return s / n;
  }

  private static double std(double[] x, int from, int n) {
    double m = mean(x, from, n);
    double s = 0;
    for (int i = from; i < from + n; i++) {
      s += (x[i] - m) * (x[i] - m);
    }
    return Math.sqrt(s / (n - 1));
  }
}
