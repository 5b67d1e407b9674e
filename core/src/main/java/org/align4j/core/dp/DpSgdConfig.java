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
   * A builder with defaults: clip norm 1.0 (flat), 1 epoch, delta 1/N, lr 1e-3 without warm-up (minimum ratio
   * 0.1), weight decay 0.01, no global clip, the AUTO gradient path with physical batches of 16, the RDP accountant,
   * Poisson sampling, seed 0. Sigma (or a target epsilon) and q (or an expected batch size) must be set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder().privacy(privacy).optimizer(optimizer).steps(steps).epochs(epochs).seed(seed);
  }

  /**
   * Builds a {@link DpSgdConfig}. The privacy setters change its {@link PrivacySettings}, the optimizer setters its
   * {@link OptimizerSettings}.
   */
  public static final class Builder {
    private PrivacySettings.Builder privacy = PrivacySettings.builder();
    private OptimizerSettings.Builder optimizer = OptimizerSettings.builder().clipNorm(Double.POSITIVE_INFINITY);
    private long steps;
    private double epochs = 1;
    private long seed;

    private Builder() {}

    /** All privacy settings at once. */
    public Builder privacy(PrivacySettings v) {
      privacy = Objects.requireNonNull(v, "privacy").toBuilder();
      return this;
    }

    /** All optimizer settings at once. */
    public Builder optimizer(OptimizerSettings v) {
      optimizer = Objects.requireNonNull(v, "optimizer").toBuilder();
      return this;
    }

    /** Sigma, the noise standard deviation over C ({@code > 0}; 0 for the non-private baseline). */
    public Builder noiseMultiplier(double v) {
      privacy.noiseMultiplier(v);
      return this;
    }

    /** A target epsilon instead of sigma: sigma is calibrated for it. */
    public Builder targetEpsilon(double v) {
      privacy.targetEpsilon(v);
      return this;
    }

    /** q, the probability that an example joins a batch, in (0, 1]. */
    public Builder sampleRate(double v) {
      privacy.sampleRate(v);
      return this;
    }

    /** The expected batch size {@code q * N} instead of q. */
    public Builder expectedBatchSize(double v) {
      privacy.expectedBatchSize(v);
      return this;
    }

    /** C, the bound on each example's gradient norm (default 1.0). */
    public Builder clipNorm(double v) {
      privacy.clipNorm(v);
      return this;
    }

    /** Delta (default 1/N). */
    public Builder delta(double v) {
      privacy.delta(v);
      return this;
    }

    /** The accountant recording the run (default RDP). */
    public Builder accountant(PrivacySettings.Accountant v) {
      privacy.accountant(v);
      return this;
    }

    /** Flat or per-layer clipping (default flat). */
    public Builder clippingMode(ClippingMode v) {
      privacy.clippingMode(v);
      return this;
    }

    /** The per-example gradient path (default AUTO). */
    public Builder gradientPath(GradientPath v) {
      privacy.gradientPath(v);
      return this;
    }

    /** Examples per pass (default 16). */
    public Builder physicalBatchSize(int v) {
      privacy.physicalBatchSize(v);
      return this;
    }

    /** Report epsilon every this many steps (default 0 = only at the end). */
    public Builder epsilonEvery(long v) {
      privacy.epsilonEvery(v);
      return this;
    }

    /** Fixed-size batches instead of Poisson sampling; the accountants then do not apply (default false). */
    public Builder fixedSizeBatches(boolean v) {
      privacy.fixedSizeBatches(v);
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

    /** Seed of sampling, noise and dropout (default 0). */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Validates and builds. */
    public DpSgdConfig build() {
      return new DpSgdConfig(privacy.build(), optimizer.build(), steps, epochs, seed);
    }
  }
}
