package org.align4j.optimizers.dpo;

import org.align4j.core.train.StepMetrics;
import org.align4j.optimizers.preference.DpoMetrics;

/**
 * What one DPO step measured.
 *
 * @param step the generic step metrics; its {@code loss} is the batch's preference loss (float64, from the step's
 *     summed log-probabilities) and its {@code tokens} the response tokens of both sides
 * @param preference the batch's implicit rewards, accuracy, margin and mean log-probabilities
 */
public record DpoStepMetrics(StepMetrics step, DpoMetrics preference) {}
