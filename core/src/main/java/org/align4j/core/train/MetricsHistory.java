package org.align4j.core.train;

import java.util.ArrayList;
import java.util.List;

/** A listener that keeps every step's and every evaluation's metrics. */
public final class MetricsHistory implements TrainingListener {

  private final List<StepMetrics> steps = new ArrayList<>();
  private final List<EvalMetrics> evaluations = new ArrayList<>();

  @Override
  public synchronized void onStep(StepMetrics metrics) {
    steps.add(metrics);
  }

  @Override
  public synchronized void onEvaluation(EvalMetrics metrics) {
    evaluations.add(metrics);
  }

  /** The steps so far (a copy). */
  public synchronized List<StepMetrics> steps() {
    return List.copyOf(steps);
  }

  /** The evaluations so far (a copy). */
  public synchronized List<EvalMetrics> evaluations() {
    return List.copyOf(evaluations);
  }
}
