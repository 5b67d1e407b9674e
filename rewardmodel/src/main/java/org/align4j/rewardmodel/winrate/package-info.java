/**
 * Win rates of one policy's responses over another's by a judge (a reward model or a programmatic gold reward),
 * raw and length-controlled (the AlpacaEval-LC idea: a logistic model of the judge's preference with the length
 * difference as a covariate, read at zero length difference).
 */
package org.align4j.rewardmodel.winrate;
