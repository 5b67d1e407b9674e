package org.align4j.examples.study;

/**
 * The utility of each stage of one pipeline, measured on held-out data no stage trained on.
 *
 * @param sftHeldOutLoss mean next-token loss (nats per token) of the SFT model on the held-out texts
 * @param rewardHeldOutAccuracy the reward model's accuracy on held-out preference pairs (true continuation against a
 *     mutated one)
 * @param ppoMeanReward the reward model's mean score of the PPO policy's completions of held-out prompts
 * @param ppoKl the mean summed KL of those completions from the SFT model (the reference)
 * @param sftJudge the fixed judge's mean score of the SFT model's completions of held-out prompts
 * @param ppoJudge the fixed judge's mean score of the PPO policy's completions of held-out prompts
 */
public record DpUtility(double sftHeldOutLoss, double rewardHeldOutAccuracy, double ppoMeanReward, double ppoKl,
    double sftJudge, double ppoJudge) {}
