package org.align4j.rewardmodel.ensemble;

import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.RewardModel;

/**
 * A reward model rescaled to zero mean and unit standard deviation on a reference set: {@code (r - mean) / std},
 * with the mean and (population) standard deviation of the base model's rewards on reference (prompt, response)
 * pairs. Makes reward models comparable before ensembling and keeps PPO's reward scale fixed.
 */
public final class NormalizedRewardModel implements RewardModel {

  private final RewardModel base;
  private final double mean;
  private final double std;

  private NormalizedRewardModel(RewardModel base, double mean, double std) {
    this.base = Objects.requireNonNull(base, "base");
    this.mean = Args.finite("mean", mean);
    this.std = Args.finite("std", Args.positive("std", std));
  }

  /**
   * Fits the mean and standard deviation of {@code base}'s rewards on the reference pairs.
   *
   * @throws IllegalArgumentException when there are fewer than 2 reference pairs, the lists differ in size, or
   *     the rewards are all equal (zero standard deviation)
   */
  public static NormalizedRewardModel fit(RewardModel base, List<String> prompts, List<String> responses) {
    Args.check(prompts.size() == responses.size(), "prompts and responses must have the same size, got %s and %s",
        prompts.size(), responses.size());
    Args.check(prompts.size() >= 2, "normalisation needs at least 2 reference pairs, got %s", prompts.size());
    double[] r = base.score(prompts, responses);
    double mean = 0;
    for (int i = 0; i < r.length; i++) {
      Args.finite("reference reward ", i, r[i]);
      mean += r[i];
    }
    mean /= r.length;
    double squares = 0;
    for (double v : r) {
      squares += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(squares / r.length);
    Args.check(std > 0, "reference rewards have zero standard deviation; cannot normalise");
    return new NormalizedRewardModel(base, mean, std);
  }

  /** Normalises with a known mean and standard deviation ({@code > 0}). */
  public static NormalizedRewardModel of(RewardModel base, double mean, double std) {
    return new NormalizedRewardModel(base, mean, std);
  }

  /** The reference mean subtracted. */
  public double mean() {
    return mean;
  }

  /** The reference standard deviation divided by. */
  public double std() {
    return std;
  }

  @Override
  public double[] score(List<String> prompts, List<String> responses) {
    double[] r = base.score(prompts, responses);
    double[] out = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      out[i] = (r[i] - mean) / std;
    }
    return out;
  }
}
