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

  /** Builds an {@link SftConfig}; the optimizer setters change its {@link OptimizerSettings}. */
  public static final class Builder {
    private int batchSize = 16;
    private int epochs = 1;
    private long maxSteps;
    private OptimizerSettings.Builder optimizer = OptimizerSettings.builder();
    private long evalEvery;
    private int patience;
    private PrivacySettings privacy = PrivacySettings.none();
    private long seed;

    private Builder() {}

    /** Sequences per step (default 16). */
    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    /** Passes over the data (default 1). */
    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    /** A fixed number of steps, overriding epochs (default 0 = use epochs). */
    public Builder maxSteps(long v) {
      maxSteps = v;
      return this;
    }

    /** All optimizer settings at once (default {@code OptimizerSettings.builder().build()}). */
    public Builder optimizer(OptimizerSettings v) {
      optimizer = Objects.requireNonNull(v, "optimizer").toBuilder();
      return this;
    }

    /** Peak learning rate (default 1e-3). */
    public Builder learningRate(double v) {
      optimizer.learningRate(v);
      return this;
    }

    /** Warm-up steps (default 0). */
    public Builder warmupSteps(long v) {
      optimizer.warmupSteps(v);
      return this;
    }

    /** Final learning rate as a fraction of the peak (default 0.1). */
    public Builder minLearningRateRatio(double v) {
      optimizer.minLearningRateRatio(v);
      return this;
    }

    /** AdamW weight decay (default 0.01). */
    public Builder weightDecay(double v) {
      optimizer.weightDecay(v);
      return this;
    }

    /** Global gradient-norm clip (default 1.0). */
    public Builder clipNorm(double v) {
      optimizer.clipNorm(v);
      return this;
    }

    /** Evaluation interval in steps (default 0 = at the end only). */
    public Builder evalEvery(long v) {
      evalEvery = v;
      return this;
    }

    /** Early-stopping patience in evaluations (default 0 = off). */
    public Builder patience(int v) {
      patience = v;
      return this;
    }

    /** Privacy settings (default none: training without DP-SGD). */
    public Builder privacy(PrivacySettings v) {
      privacy = Objects.requireNonNull(v, "privacy");
      return this;
    }

    /** Seed of data order and dropout (default 0). */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Validates and builds. */
    public SftConfig build() {
      return new SftConfig(batchSize, epochs, maxSteps, optimizer.build(), evalEvery, patience, privacy, seed);
    }
  }
}
