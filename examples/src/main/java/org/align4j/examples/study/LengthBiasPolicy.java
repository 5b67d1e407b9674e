package org.align4j.examples.study;

import java.util.List;
import java.util.Objects;

/**
 * One policy of the length-bias study, measured on the held-out prompts (one sampled response per prompt, the
 * same seed for every policy) against the SFT model's responses, judged by the gold reward.
 *
 * @param name {@code sft}, {@code ppo-raw}, {@code ppo-calibrated}, {@code dpo-raw} or {@code dpo-calibrated}
 * @param lengthCurve mean response length over training: per PPO iteration the rollout's mean (tokens, as PPO
 *     reports it); for DPO the SFT model's and the trained policy's held-out mean (characters); for SFT its own
 * @param rewardCurve per PPO iteration the mean reward the policy was trained on (raw or calibrated); empty for
 *     the others
 * @param pairs the best/worst pairs DPO trained on (0 for the others)
 * @param meanLength mean held-out response length in characters
 * @param meanGold mean gold reward of the held-out responses
 * @param meanRawReward mean reward of the held-out responses by the (biased) reward model
 * @param meanCalibratedReward the same after calibration
 * @param winRate win rate against the SFT model by the gold reward, ties counted half
 * @param lcWinRate the length-controlled win rate (at zero length difference)
 * @param lengthSlope the fitted log-odds of a win per character of length difference
 * @param seconds training wall time (0 for SFT's evaluation row)
 */
public record LengthBiasPolicy(String name, List<Double> lengthCurve, List<Double> rewardCurve, int pairs,
    double meanLength, double meanGold, double meanRawReward, double meanCalibratedReward, double winRate,
    double lcWinRate, double lengthSlope, double seconds) {

  /** Validates and copies. */
  public LengthBiasPolicy {
    Objects.requireNonNull(name, "name");
    lengthCurve = List.copyOf(lengthCurve);
    rewardCurve = List.copyOf(rewardCurve);
  }
}
