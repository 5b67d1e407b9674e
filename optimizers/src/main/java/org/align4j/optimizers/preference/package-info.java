/**
 * Preference losses of the DPO family ({@link org.align4j.optimizers.preference.PreferenceLoss}), as TRL and
 * OpenRLHF define them. (The Bradley-Terry reward-model loss lives in {@code org.align4j.rewardmodel.train}.)
 *
 * <p>Each loss exists in three forms that share one definition of its formula: a float64 form over Java arrays
 * (the reference), a vectorised ND4J form over {@code INDArray}s (float32 or float64), and a SameDiff piece for
 * training graphs. Log-sigmoids are computed stably, so no form overflows at extreme log-ratios.
 */
package org.align4j.optimizers.preference;
