/**
 * Reward-model evaluation: accuracy on preference pairs overall and by category, margins, reward statistics,
 * RewardBench-style section scores with the official weights, and the Spearman correlation of reward with
 * response length as a length-bias diagnostic.
 */
package org.align4j.rewardmodel.eval;
