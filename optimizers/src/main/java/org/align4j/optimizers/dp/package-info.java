/**
 * Private reward-model training ({@link org.align4j.optimizers.dp.DpRewardTrainer}) and DPO
 * ({@link org.align4j.optimizers.dp.DpDpoTrainer}) on the DP-SGD engine of {@link org.align4j.core.dp}, with their
 * per-example losses. Reward training and DPO protect preference pairs: a pair's two sequences are one example of
 * two graph rows. (Private PPO is {@link org.align4j.optimizers.ppo.PpoTrainer} with privacy settings.)
 */
package org.align4j.optimizers.dp;
