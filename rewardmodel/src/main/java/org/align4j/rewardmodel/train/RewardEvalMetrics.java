package org.align4j.rewardmodel.train;

/**
 * An evaluation of a reward model on preference pairs.
 *
 * @param step the training step after which it ran (0 outside training)
 * @param pairs the number of pairs scored
 * @param loss the Bradley-Terry loss (float64, with the trainer's margins and centring term)
 * @param metrics accuracy (ties count as wrong), mean margin and reward statistics
 */
public record RewardEvalMetrics(long step, int pairs, double loss, BradleyTerryLoss.RewardMetrics metrics) {

  /** The fraction of pairs whose chosen response scores strictly higher. */
  public double accuracy() {
    return metrics.accuracy();
  }
}
