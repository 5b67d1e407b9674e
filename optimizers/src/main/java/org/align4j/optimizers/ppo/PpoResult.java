package org.align4j.optimizers.ppo;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.model.TransformerLm;
import org.align4j.optimizers.rl.KlController;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The outcome of {@link PpoTrainer#train}.
 *
 * @param policy the trained policy (its weights were updated in place), with provenance recording the prompts,
 *     seed and steps
 * @param reference the frozen reference it was held to (unchanged)
 * @param valueHead the value head's arrays by name ({@code value_head.w} [d, 1], {@code value_head.b} [1, 1]);
 *     empty for GRPO and RLOO. A private run trains {@code value_head.w} only ({@code value_head.b} stays 0)
 * @param klController the KL controller after the last iteration
 * @param steps optimiser steps taken (with privacy: sampled batches times {@code ppoEpochs})
 * @param history the metrics of every iteration (with privacy: of every sampled batch, its mean score among them;
 *     see {@link PpoTrainer} for what a private run measures)
 * @param privacy a private run's outcome (epsilon, delta, sigma, q, the accountant and its history, the DP-SGD
 *     step metrics), or empty
 */
public record PpoResult(TransformerLm policy, TransformerLm reference, Map<String, INDArray> valueHead,
    KlController klController, long steps, List<PpoMetrics> history, Optional<DpTrainingResult> privacy) {

  /** Copies the collections. */
  public PpoResult {
    valueHead = Map.copyOf(valueHead);
    history = List.copyOf(history);
    Objects.requireNonNull(privacy, "privacy");
  }

  /** The last iteration's metrics. */
  public PpoMetrics last() {
    return history.get(history.size() - 1);
  }

  /**
   * The mean reward-model score of each iteration's rollouts (NaN for an empty sample of a private run). In a
   * private run these are statistics of the sampled prompts without noise, for monitoring, and not private.
   */
  public List<Double> meanScores() {
    return history.stream().map(PpoMetrics::meanScore).toList();
  }
}
