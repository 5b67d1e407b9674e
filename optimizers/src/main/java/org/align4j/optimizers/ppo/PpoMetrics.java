package org.align4j.optimizers.ppo;

/**
 * What one PPO iteration (a rollout and its optimisation) measured. Losses, clip fraction and approximate KL are
 * means over the iteration's minibatches, each measured before its update (as TRL logs them).
 *
 * <p>An iteration of a private run (a sampled batch of prompts, see {@link PpoTrainer}) reports its rollout's
 * statistics and NaN for the clip fraction, approximate KL and losses, which DP-SGD measures per prompt instead
 * (the step metrics of {@link PpoResult#privacy()}); an empty sample reports NaN for every rollout statistic too.
 * Its {@code seconds} cover the rollout only. Like every metric of a private run these are statistics of the
 * sampled prompts without noise, for monitoring, and not private.
 *
 * @param iteration 1-based iteration number
 * @param meanScore mean reward-model score of the completions (before any missing-EOS penalty)
 * @param meanKl mean over completions of the summed per-token KL to the reference (TRL's {@code objective/kl})
 * @param entropy mean per-token entropy of the sampling distribution over the rollout's response tokens
 * @param clipFraction fraction of response tokens where the policy ratio was clipped
 * @param approxKl {@code ½·mean((logp - logp_old)²)} between the updated and the sampling policy
 * @param policyLoss the clipped policy loss
 * @param valueLoss the clipped value loss (0 without a value head)
 * @param meanResponseLength mean completion length in tokens (EOS included)
 * @param eosFraction fraction of completions that ended with EOS
 * @param klCoef the KL coefficient used for this iteration's rewards
 * @param epochs PPO epochs run (the last possibly cut short by the target KL)
 * @param steps optimiser steps taken in this iteration
 * @param stoppedEarly whether the approximate KL exceeded the target and ended the epochs early
 * @param seconds wall time of the iteration
 */
public record PpoMetrics(
    int iteration, double meanScore, double meanKl, double entropy, double clipFraction, double approxKl,
    double policyLoss, double valueLoss, double meanResponseLength, double eosFraction, double klCoef, int epochs,
    int steps, boolean stoppedEarly, double seconds) {}
