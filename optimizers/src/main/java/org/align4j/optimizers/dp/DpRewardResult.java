package org.align4j.optimizers.dp;

import java.util.Objects;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.rewardmodel.TransformerRewardModel;

/**
 * The outcome of differentially private reward-model training.
 *
 * @param model the trained reward model (the live arrays of the model given, with provenance recording the
 *     training)
 * @param training the private run: epsilon, delta, steps, sigma, q, the accountant and its history, the step
 *     metrics (loss: the batch's mean Bradley-Terry loss per pair); its {@code model()} is the backbone
 */
public record DpRewardResult(TransformerRewardModel model, DpTrainingResult training) {

  /** Validates. */
  public DpRewardResult {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(training, "training");
  }

  /** The epsilon spent at {@link #delta()} (infinite for a non-private run). */
  public double epsilon() {
    return training.epsilon();
  }

  /** The delta of the guarantee. */
  public double delta() {
    return training.delta();
  }

  /** DP-SGD steps taken. */
  public long steps() {
    return training.steps();
  }
}
