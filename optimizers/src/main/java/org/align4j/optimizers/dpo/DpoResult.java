package org.align4j.optimizers.dpo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.model.TransformerLm;

/**
 * The outcome of a DPO run.
 *
 * @param model the trained policy (its weights were updated in place), its history extended by this stage: the
 *     preference data's name and fingerprint, the settings, the seed and the steps (and, for a private run, the
 *     privacy spent)
 * @param steps optimisation steps taken
 * @param finalLoss mean training loss over the last steps (up to 10)
 * @param truncatedPairs training pairs whose responses were cut to fit the context
 * @param referenceFromCache whether the reference log-probabilities were read from the cache file
 * @param tokensPerSecond mean training throughput (input tokens of both sides, padding excluded)
 * @param history every step's metrics (empty for a private run, whose per-pair loss yields no preference metrics;
 *     its steps' generic metrics are in {@code privacy().history()})
 * @param evaluations every evaluation (empty without evaluation pairs; for a private run one, after training)
 * @param privacy a private run's guarantee and accounting (epsilon, delta, sigma, q, the accountant), or empty
 */
public record DpoResult(
    TransformerLm model, long steps, double finalLoss, int truncatedPairs, boolean referenceFromCache,
    double tokensPerSecond, List<DpoStepMetrics> history, List<DpoEvalMetrics> evaluations,
    Optional<DpTrainingResult> privacy) {

  /** Copies the lists. */
  public DpoResult {
    history = List.copyOf(history);
    evaluations = List.copyOf(evaluations);
    Objects.requireNonNull(privacy, "privacy");
  }

  /** The last evaluation, if any. */
  public Optional<DpoEvalMetrics> lastEvaluation() {
    return evaluations.isEmpty() ? Optional.empty() : Optional.of(evaluations.get(evaluations.size() - 1));
  }
}
