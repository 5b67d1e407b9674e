package org.align4j.core.train;

import java.util.Objects;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.util.Args;

/**
 * Settings of supervised fine-tuning (next-token training). Build with {@link #builder()}; every setting has a
 * default and is validated.
 *
 * @param batchSize sequences per step
 * @param epochs passes over the training data (used when {@code maxSteps} is 0)
 * @param maxSteps a fixed number of steps instead of epochs (0 = use epochs)
 * @param optimizer learning rate and its schedule, AdamW's weight decay and the global gradient-norm clip
 * @param evalEvery evaluate every this many steps when evaluation data is given (0 = only at the end)
 * @param patience stop after this many evaluations without improvement (0 = never stop early)
 * @param privacy none, or DP-SGD's settings: with a target epsilon or a noise multiplier the run trains by DP-SGD
 *     (example-level privacy) on Poisson samples of {@code batchSize} examples expected unless the settings give
 *     their own sampling; {@code maxSteps} or {@code epochs} sets its length, and the optimizer's global clip is
 *     replaced by the per-example clip; evaluation data is then evaluated once, after training, so
 *     {@code evalEvery} and {@code patience} must stay 0
 * @param seed seed of the data order and dropout (and, with privacy, of the sampling and the noise)
 */
public record SftConfig(
    int batchSize, int epochs, long maxSteps, OptimizerSettings optimizer, long evalEvery, int patience,
    PrivacySettings privacy, long seed) {

  /** Validates. */
  public SftConfig {
    Args.positive("batchSize", batchSize);
    Args.positive("epochs", epochs);
    Args.nonNegative("maxSteps", maxSteps);
    Objects.requireNonNull(optimizer, "optimizer");
    Args.nonNegative("evalEvery", evalEvery);
    Args.nonNegative("patience", patience);
    Objects.requireNonNull(privacy, "privacy");
    if (privacy.enabled()) {
      Args.check(evalEvery == 0, "evalEvery is %s but privacy is enabled: a private run evaluates once, at the end",
          evalEvery);
      Args.check(patience == 0, "patience is %s but privacy is enabled: a private run does not stop early",
          patience);
    }
  }

  /** The settings of the {@link TrainingLoop} (evaluation improvements count from 1e-6). */
  LoopSettings loopSettings() {
    return LoopSettings.builder().sampling(Sampling.shuffled(batchSize)).epochs(epochs).maxSteps(maxSteps)
        .optimizer(optimizer).evalEvery(evalEvery).patience(patience).minImprovement(1e-6).seed(seed).build();
  }

  /**
   * A builder with defaults: batch 16, 1 epoch, {@link OptimizerSettings}' defaults (lr 1e-3, no warm-up, min ratio
   * 0.1, wd 0.01, clip 1.0), no privacy.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder().batchSize(batchSize).epochs(epochs).maxSteps(maxSteps).optimizer(optimizer)
        .evalEvery(evalEvery).patience(patience).privacy(privacy).seed(seed);
  }

  /**
   * Builds an {@link SftConfig}. Defaults: batch 16 sequences, 1 epoch, {@link OptimizerSettings}' defaults (lr
   * 1e-3, no warm-up, min ratio 0.1, wd 0.01, clip 1.0), evaluation at the end, no early stopping, no privacy, seed
   * 0.
   */
  public static final class Builder extends EpochTrainerBuilder<Builder> {
    private int patience;

    private Builder() {
      super(16, OptimizerSettings.builder().build());
    }

    /** Early-stopping patience in evaluations (default 0 = off). */
    public Builder patience(int v) {
      patience = v;
      return this;
    }

    /** Validates and builds. */
    public SftConfig build() {
      return new SftConfig(batchSize(), epochs(), maxSteps(), optimizer(), evalEvery(), patience, privacy(), seed());
    }
  }
}
