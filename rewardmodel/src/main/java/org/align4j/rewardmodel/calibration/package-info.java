/**
 * Post-hoc reward calibration (Huang et al. 2024, "Post-hoc Reward Calibration: A Case Study on Length Bias"):
 * exact {@link org.align4j.rewardmodel.calibration.Lowess}, the RC-LWR, RC-Mean, length-penalty and
 * RC-LWR-Penalty methods over any numeric feature of a response, fitted calibrations that save to JSON, and
 * {@link org.align4j.rewardmodel.calibration.CalibratedRewardModel} to use one in place of the raw reward model.
 */
package org.align4j.rewardmodel.calibration;
