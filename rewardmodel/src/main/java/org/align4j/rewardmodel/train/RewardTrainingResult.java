package org.align4j.rewardmodel.train;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.train.StepMetrics;
import org.align4j.rewardmodel.TransformerRewardModel;

/**
 * The outcome of reward-model training.
 *
 * @param model the trained model (the one passed in, updated in place), its history extended by this stage: the
 *     data's name and fingerprint, the settings, the seed and the steps (and, for a private run, its privacy)
 * @param steps optimisation steps taken
 * @param finalLoss mean training loss over the last steps (up to 10)
 * @param truncatedPairs training pairs whose prompt was cut from the left to fit the context
 * @param tokensPerSecond mean training throughput (chosen and rejected tokens, padding excluded)
 * @param history every step's metrics
 * @param evaluations every evaluation (empty without evaluation data)
 * @param privacy a private run's guarantee and accounting (epsilon, delta, sigma, q, the accountant; its
 *     {@code model()} is the backbone), or empty
 */
public record RewardTrainingResult(
    TransformerRewardModel model, long steps, double finalLoss, int truncatedPairs, double tokensPerSecond,
    List<StepMetrics> history, List<RewardEvalMetrics> evaluations, Optional<DpTrainingResult> privacy) {

  /** Copies the lists. */
  public RewardTrainingResult {
    history = List.copyOf(history);
    evaluations = List.copyOf(evaluations);
    Objects.requireNonNull(privacy, "privacy");
  }

  /** The last evaluation, if evaluation data was given. */
  public Optional<RewardEvalMetrics> finalEvaluation() {
    return evaluations.isEmpty() ? Optional.empty() : Optional.of(evaluations.get(evaluations.size() - 1));
  }
}
