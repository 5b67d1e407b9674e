package org.align4j.rewardmodel.ensemble;

import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.RewardModel;

/**
 * An ensemble of reward models: each pair's reward is an aggregate of the members' rewards (their mean, their
 * minimum, or the conservative {@code mean - k * std} with the population standard deviation), against
 * over-optimisation of any single reward model. {@link #disagreement} gives the members' standard deviation as
 * an uncertainty diagnostic. Thread-safe when the members are.
 */
public final class EnsembleRewardModel implements RewardModel {

  /** How the members' rewards are combined. */
  public enum Aggregation {
    /** The mean of the members' rewards. */
    MEAN,
    /** The smallest of the members' rewards. */
    MIN,
    /** The mean minus k times the population standard deviation. */
    MEAN_MINUS_STD
  }

  private final List<RewardModel> members;
  private final Aggregation aggregation;
  private final double k;

  private EnsembleRewardModel(List<RewardModel> members, Aggregation aggregation, double k) {
    Objects.requireNonNull(members, "members");
    Args.check(!members.isEmpty(), "an ensemble needs at least one member");
    this.members = List.copyOf(members);
    this.aggregation = Objects.requireNonNull(aggregation, "aggregation");
    this.k = Args.finite("k", Args.nonNegative("k", k));
  }

  /** The mean of the members' rewards. */
  public static EnsembleRewardModel mean(List<? extends RewardModel> members) {
    return new EnsembleRewardModel(List.copyOf(members), Aggregation.MEAN, 0.0);
  }

  /** The minimum of the members' rewards. */
  public static EnsembleRewardModel min(List<? extends RewardModel> members) {
    return new EnsembleRewardModel(List.copyOf(members), Aggregation.MIN, 0.0);
  }

  /** The mean minus {@code k >= 0} times the members' (population) standard deviation. */
  public static EnsembleRewardModel meanMinusStd(List<? extends RewardModel> members, double k) {
    return new EnsembleRewardModel(List.copyOf(members), Aggregation.MEAN_MINUS_STD, k);
  }

  /** The members. */
  public List<RewardModel> members() {
    return members;
  }

  /** The aggregation. */
  public Aggregation aggregation() {
    return aggregation;
  }

  @Override
  public double[] score(List<String> prompts, List<String> responses) {
    double[][] scores = memberScores(prompts, responses);
    int n = prompts.size();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double mean = 0;
      double min = Double.POSITIVE_INFINITY;
      for (double[] s : scores) {
        mean += s[i];
        min = Math.min(min, s[i]);
      }
      mean /= scores.length;
      out[i] = switch (aggregation) {
        case MEAN -> mean;
        case MIN -> min;
        case MEAN_MINUS_STD -> mean - k * std(scores, i, mean);
      };
    }
    return out;
  }

  /** The members' population standard deviation for each pair: how much they disagree. */
  public double[] disagreement(List<String> prompts, List<String> responses) {
    double[][] scores = memberScores(prompts, responses);
    double[] out = new double[prompts.size()];
    for (int i = 0; i < out.length; i++) {
      double mean = 0;
      for (double[] s : scores) {
        mean += s[i];
      }
      out[i] = std(scores, i, mean / scores.length);
    }
    return out;
  }

  private double[][] memberScores(List<String> prompts, List<String> responses) {
    Args.check(prompts.size() == responses.size(), "prompts and responses must have the same size, got %s and %s",
        prompts.size(), responses.size());
    double[][] scores = new double[members.size()][];
    for (int m = 0; m < scores.length; m++) {
      scores[m] = members.get(m).score(prompts, responses);
      Args.check(scores[m].length == prompts.size(), "member %s returned %s scores for %s pairs", m, scores[m].length,
          prompts.size());
      for (int i = 0; i < scores[m].length; i++) {
        if (!Double.isFinite(scores[m][i])) {
          throw new IllegalStateException("member " + m + " returned a non-finite reward " + scores[m][i]
              + " for pair " + i);
        }
      }
    }
    return scores;
  }

  private static double std(double[][] scores, int i, double mean) {
    double squares = 0;
    for (double[] s : scores) {
      squares += (s[i] - mean) * (s[i] - mean);
    }
    return Math.sqrt(squares / scores.length);
  }
}
