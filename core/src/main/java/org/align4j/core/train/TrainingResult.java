package org.align4j.core.train;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.model.TransformerLm;

/**
 * The outcome of a training run.
 *
 * @param model the trained model, with its provenance recording the data, seed and steps
 * @param steps optimisation steps taken
 * @param finalLoss mean training loss over the last steps (up to 10)
 * @param bestEvalLoss the best evaluation loss, or NaN without evaluation data
 * @param stoppedEarly whether early stopping ended the run
 * @param truncatedExamples training sequences cut to the context length
 * @param skippedExamples examples dropped because they hold no token to learn from
 * @param tokensPerSecond mean training throughput
 * @param history every step's metrics
 * @param evaluations every evaluation
 * @param privacy a private run's guarantee and accounting (epsilon, delta, sigma, q, the accountant), or empty
 */
public record TrainingResult(
    TransformerLm model, long steps, double finalLoss, double bestEvalLoss, boolean stoppedEarly,
    int truncatedExamples, int skippedExamples, double tokensPerSecond, List<StepMetrics> history,
    List<EvalMetrics> evaluations, Optional<DpTrainingResult> privacy) {

  /** Copies the lists. */
  public TrainingResult {
    history = List.copyOf(history);
    evaluations = List.copyOf(evaluations);
    Objects.requireNonNull(privacy, "privacy");
  }
}
