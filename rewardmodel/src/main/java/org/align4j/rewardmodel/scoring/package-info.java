/**
 * Reward models at work on data: scoring pairs and responses into reward files (rewards with lengths in tokens and
 * characters, as {@code calibrate} reads them), reward-model fingerprints, and a saved calibration applied inside a
 * training loop only to the reward model and length unit it was fitted on.
 */
package org.align4j.rewardmodel.scoring;
