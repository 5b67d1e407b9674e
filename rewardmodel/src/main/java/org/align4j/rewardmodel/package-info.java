/** Reward models: the {@link org.align4j.rewardmodel.RewardModel} interface and its implementations. */
package org.align4j.rewardmodel;
