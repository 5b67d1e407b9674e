/**
 * Training reward models: the float64 Bradley-Terry loss and its metrics
 * ({@link org.align4j.rewardmodel.train.BradleyTerryLoss}), and the trainer
 * ({@link org.align4j.rewardmodel.train.RewardTrainer}) that fits a
 * {@link org.align4j.rewardmodel.TransformerRewardModel} to preference pairs with one objective,
 * {@link org.align4j.rewardmodel.train.BradleyTerryPairLoss}: its batch mean in plain training, or, with privacy
 * settings, DP-SGD on each pair's own loss.
 */
package org.align4j.rewardmodel.train;
