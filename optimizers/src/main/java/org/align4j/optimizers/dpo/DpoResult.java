package org.align4j.optimizers.dpo;

import java.util.List;
import java.util.Optional;
import org.align4j.core.model.TransformerLm;

/**
 * The outcome of a DPO run.
 *
 * @param model the trained policy (its weights were updated in place), with provenance recording the preference
 *     data, seed and total steps
 * @param steps optimisation steps taken
 * @param finalLoss mean training loss over the last steps (up to 10)
 * @param truncatedPairs training pairs whose responses were cut to fit the context
 * @param referenceFromCache whether the reference log-probabilities were read from the cache file
 * @param tokensPerSecond mean training throughput (input tokens of both sides, padding excluded)
 * @param history every step's metrics
 * @param evaluations every evaluation (empty without evaluation pairs)
 */
public record DpoResult(
    TransformerLm model, long steps, double finalLoss, int truncatedPairs, boolean referenceFromCache,
    double tokensPerSecond, List<DpoStepMetrics> history, List<DpoEvalMetrics> evaluations) {

  /** Copies the lists. */
  public DpoResult {
    history = List.copyOf(history);
    evaluations = List.copyOf(evaluations);
  }

  /** The last evaluation, if any. */
  public Optional<DpoEvalMetrics> lastEvaluation() {
    return evaluations.isEmpty() ? Optional.empty() : Optional.of(evaluations.get(evaluations.size() - 1));
  }
}
