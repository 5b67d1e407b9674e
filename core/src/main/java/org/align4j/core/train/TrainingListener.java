package org.align4j.core.train;

/** Receives training events. Every method has an empty default; implement the ones you need. */
public interface TrainingListener {

  /** Called once before the first step with the planned number of steps. */
  default void onStart(long totalSteps) {}

  /** Called after every optimisation step. */
  default void onStep(StepMetrics metrics) {}

  /** Called after every evaluation. */
  default void onEvaluation(EvalMetrics metrics) {}

  /** Called once when training ends (normally or by early stopping). */
  default void onEnd() {}
}
