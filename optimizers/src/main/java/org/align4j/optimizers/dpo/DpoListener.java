package org.align4j.optimizers.dpo;

import org.align4j.core.train.TrainingListener;

/**
 * A {@link TrainingListener} that also receives DPO's preference metrics. {@link DpoTrainer} calls the generic
 * methods on every listener (so a {@link org.align4j.core.train.ProgressBar} works as is) and these on listeners
 * that implement this interface. Every method has an empty default.
 */
public interface DpoListener extends TrainingListener {

  /** Called after every step, after {@link #onStep}. */
  default void onDpoStep(DpoStepMetrics metrics) {}

  /** Called after every evaluation, after {@link #onEvaluation}. */
  default void onDpoEvaluation(DpoEvalMetrics metrics) {}
}
