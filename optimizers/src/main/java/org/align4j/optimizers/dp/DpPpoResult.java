package org.align4j.optimizers.dp;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.model.TransformerLm;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The outcome of differentially private PPO.
 *
 * @param policy the trained policy (its weights were updated in place), with provenance recording the prompts and
 *     the updates
 * @param training the private run: epsilon, delta, steps (sampled batches of prompts), sigma, q, the accountant and
 *     its history, the step metrics (loss: the batch's mean per-prompt PPO loss, measured before each update and
 *     averaged over the batch's epochs; NaN for an empty batch)
 * @param valueHead the value head's arrays by name ({@code value_head.w} trained, {@code value_head.b} 0); empty
 *     for GRPO and RLOO
 * @param meanScores the mean reward-model score of each step's rollouts (NaN for an empty batch); like the step
 *     metrics these are statistics of the sampled prompts without noise, for monitoring, and not private
 */
public record DpPpoResult(TransformerLm policy, DpTrainingResult training, Map<String, INDArray> valueHead,
    List<Double> meanScores) {

  /** Validates and copies the collections. */
  public DpPpoResult {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(training, "training");
    valueHead = Map.copyOf(valueHead);
    meanScores = List.copyOf(meanScores);
  }

  /** The epsilon spent at {@link #delta()} (infinite for a non-private run). */
  public double epsilon() {
    return training.epsilon();
  }

  /** The delta of the guarantee. */
  public double delta() {
    return training.delta();
  }

  /** Sampled batches (DP-SGD steps for the accountant). */
  public long steps() {
    return training.steps();
  }
}
