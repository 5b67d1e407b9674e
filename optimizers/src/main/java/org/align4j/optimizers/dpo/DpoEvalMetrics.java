package org.align4j.optimizers.dpo;

import org.align4j.optimizers.preference.DpoMetrics;

/**
 * An evaluation of the policy on held-out preference pairs.
 *
 * @param step the step after which it ran (0 = before training)
 * @param loss the mean preference loss over the held-out pairs
 * @param preference implicit rewards, accuracy, margin and mean log-probabilities over the held-out pairs
 * @param best whether this is the lowest evaluation loss so far
 */
public record DpoEvalMetrics(long step, double loss, DpoMetrics preference, boolean best) {}
