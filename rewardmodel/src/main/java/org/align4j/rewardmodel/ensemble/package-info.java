/**
 * Combinations of reward models: ensembles (mean, minimum, mean minus k standard deviations) and normalisation of
 * a reward model's scale on a reference set.
 */
package org.align4j.rewardmodel.ensemble;
