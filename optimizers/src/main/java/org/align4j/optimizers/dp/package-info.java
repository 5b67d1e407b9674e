/**
 * Private PPO ({@link org.align4j.optimizers.dp.DpPpoTrainer}) on the DP-SGD engine of {@link org.align4j.core.dp},
 * with its per-example loss: PPO protects prompts, a sampled prompt's completions, made by the current policy at
 * each step, are one example. Private DPO is {@link org.align4j.optimizers.dpo.DpoTrainer} and private reward-model
 * training {@code RewardTrainer}, each with privacy settings.
 */
package org.align4j.optimizers.dp;
