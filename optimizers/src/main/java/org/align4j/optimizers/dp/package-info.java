/**
 * Private DPO ({@link org.align4j.optimizers.dp.DpDpoTrainer}) and PPO ({@link org.align4j.optimizers.dp.DpPpoTrainer})
 * on the DP-SGD engine of {@link org.align4j.core.dp}, with their per-example losses. DPO protects preference
 * pairs: a pair's two sequences are one example of two graph rows. PPO protects prompts: a sampled prompt's
 * completions, made by the current policy at each step, are one example. (Private reward-model training is
 * {@code RewardTrainer} with privacy settings.)
 */
package org.align4j.optimizers.dp;
