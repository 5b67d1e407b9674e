package org.align4j.core.dp;

import java.util.Objects;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.train.OptimizerSettings;
import org.align4j.core.util.Args;

/**
 * The settings of one DP-SGD run ({@link DpRun}), which trainers build from their own configuration: the privacy
 * settings ({@link PrivacySettings}: a noise multiplier, or a target epsilon that the noise is calibrated for over
 * the run's q, steps and delta; the sampling, as a sample rate q or an expected batch size {@code q * N}; C, delta,
 * the accountant and the engine's options), the optimizer settings, and the length: a number of steps or of epochs
 * ({@code steps = ceil(epochs / q)}). Settings that depend on the data set size N (q from an expected batch size,
 * delta's default 1/N) are resolved when training starts. The optimizer's global gradient-norm clip is not used:
 * each example's gradient is clipped to {@code privacy.clipNorm} instead.
 *
 * @param privacy sigma or a target epsilon, q or an expected batch size, C, delta, the accountant and the engine's
 *     options; a noise multiplier of 0 is the non-private baseline (clipped, no noise, infinite epsilon)
 * @param optimizer AdamW's peak learning rate, warm-up, cosine decay and weight decay
 * @param steps the number of DP-SGD steps, or 0 to use {@code epochs}
 * @param epochs expected passes over the data (used when {@code steps} is 0)
 * @param seed seed of sampling, noise and dropout
 */
public record DpSgdConfig(PrivacySettings privacy, OptimizerSettings optimizer, long steps, double epochs,
    long seed) {

  /** Validates; every message names the parameter and the rejected value. */
  public DpSgdConfig {
    Objects.requireNonNull(privacy, "privacy");
    Objects.requireNonNull(optimizer, "optimizer");
    Args.check(privacy.enabled(), "give one of noiseMultiplier and targetEpsilon for DP-SGD, got neither");
    Args.check(privacy.sampleRate().isPresent() || privacy.expectedBatchSize().isPresent(),
        "give one of sampleRate and expectedBatchSize, got neither");
    Args.nonNegative("steps", steps);
    Args.positive("epochs", epochs);
    Args.finite("epochs", epochs);
  }

  /**
   * The DP-SGD run of a trainer's configuration: its privacy settings, with {@code batchSize} as the expected batch
   * size unless they give their own sampling ({@link PrivacySettings#withDefaultBatchSize}), its optimizer, its
   * length ({@code steps}, or {@code epochs} when {@code steps} is 0) and its seed.
   */
  public static DpSgdConfig of(PrivacySettings privacy, int batchSize, OptimizerSettings optimizer, long steps,
      double epochs, long seed) {
    return new DpSgdConfig(privacy.withDefaultBatchSize(batchSize), optimizer, steps, epochs, seed);
  }

  /**
   * A builder with defaults: 1 epoch, {@link OptimizerSettings}' defaults without a global clip, seed 0. The privacy
   * settings must ask for DP-SGD (sigma or a target epsilon) and give the sampling (q or an expected batch size).
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder().privacy(privacy).optimizer(optimizer).steps(steps).epochs(epochs).seed(seed);
  }

  /** Builds a {@link DpSgdConfig}. */
  public static final class Builder {
    private PrivacySettings privacy = PrivacySettings.none();
    private OptimizerSettings optimizer = OptimizerSettings.builder().clipNorm(Double.POSITIVE_INFINITY).build();
    private long steps;
    private double epochs = 1;
    private long seed;

    private Builder() {}

    /** All privacy settings at once. */
    public Builder privacy(PrivacySettings v) {
      privacy = Objects.requireNonNull(v, "privacy");
      return this;
    }

    /** All optimizer settings at once. */
    public Builder optimizer(OptimizerSettings v) {
      optimizer = Objects.requireNonNull(v, "optimizer");
      return this;
    }

    /** A fixed number of steps (default 0 = use epochs). */
    public Builder steps(long v) {
      steps = v;
      return this;
    }

    /** Expected passes over the data (default 1). */
    public Builder epochs(double v) {
      epochs = v;
      return this;
    }

    /** Seed of sampling, noise and dropout (default 0). */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Validates and builds. */
    public DpSgdConfig build() {
      return new DpSgdConfig(privacy, optimizer, steps, epochs, seed);
    }
  }
}
