package org.align4j.core.train;

/**
 * An evaluation during training.
 *
 * @param step the step after which it ran
 * @param loss the mean loss per loss token on the evaluation data
 * @param best whether this is the best evaluation loss so far
 */
public record EvalMetrics(long step, double loss, boolean best) {}
