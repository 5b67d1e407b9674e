/**
 * Training reward models: the float64 Bradley-Terry loss and its metrics
 * ({@link org.align4j.rewardmodel.train.BradleyTerryLoss}), and the trainer
 * ({@link org.align4j.rewardmodel.train.RewardTrainer}) that fits a
 * {@link org.align4j.rewardmodel.TransformerRewardModel} to preference pairs, by a SameDiff graph or, with privacy
 * settings, by DP-SGD on each pair's own loss ({@link org.align4j.rewardmodel.train.BradleyTerryPairLoss}).
 */
package org.align4j.rewardmodel.train;
