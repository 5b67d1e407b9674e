package org.align4j.optimizers.ppo;

/**
 * What one PPO epoch (a pass over a rollout's minibatches) measured; means over the minibatches it ran, each
 * measured before its update.
 *
 * @param policyLoss the clipped policy loss
 * @param valueLoss the clipped value loss (0 without a value head)
 * @param clipFraction fraction of response tokens whose ratio was clipped
 * @param approxKl {@code ½·mean((logp - logp_old)²)} over response tokens
 * @param entropy mean per-token entropy over response tokens
 * @param steps optimiser steps taken
 * @param stoppedEarly whether a minibatch's approximate KL exceeded the target KL, ending the epoch there
 */
public record PpoEpochStats(double policyLoss, double valueLoss, double clipFraction, double approxKl,
    double entropy, int steps, boolean stoppedEarly) {}
