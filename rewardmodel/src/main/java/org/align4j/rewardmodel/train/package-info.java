/**
 * Training reward models: the float64 Bradley-Terry loss and its metrics
 * ({@link org.align4j.rewardmodel.train.BradleyTerryLoss}), and the SameDiff trainer
 * ({@link org.align4j.rewardmodel.train.RewardTrainer}) that fits a
 * {@link org.align4j.rewardmodel.TransformerRewardModel} to preference pairs.
 */
package org.align4j.rewardmodel.train;
