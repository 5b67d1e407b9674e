package org.align4j.optimizers.ppo;

import java.util.List;
import java.util.Map;
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
 *     empty for GRPO and RLOO
 * @param klController the KL controller after the last iteration
 * @param steps optimiser steps taken
 * @param history the metrics of every iteration
 */
public record PpoResult(TransformerLm policy, TransformerLm reference, Map<String, INDArray> valueHead,
    KlController klController, long steps, List<PpoMetrics> history) {

  /** Copies the collections. */
  public PpoResult {
    valueHead = Map.copyOf(valueHead);
    history = List.copyOf(history);
  }

  /** The last iteration's metrics. */
  public PpoMetrics last() {
    return history.get(history.size() - 1);
  }
}
