package org.align4j.core.dp;

import java.util.Objects;
import org.align4j.core.train.OptimizerSettings;
import org.align4j.core.util.Args;
import org.align4j.core.privacy.PrivacySettings;

/**
 * Settings of a DP-SGD run (next-token training, and the shared settings of private reward training, DPO and
 * PPO). Build with {@link #builder()}. The privacy settings ({@link PrivacySettings}) must ask for DP-SGD (a noise
 * multiplier, or a target epsilon that the noise is calibrated for over the run's q, steps and delta) and give the
 * sampling (the sample rate q or the expected batch size {@code q * N}); the run lasts a number of steps or of
 * epochs ({@code steps = ceil(epochs / q)}). Settings that depend on the data set size N (q from an expected batch
 * size, delta's default 1/N) are resolved when training starts.
 *
 * @param privacy sigma or a target epsilon, q or an expected batch size, C, delta and the accountant
 * @param optimizer AdamW's peak learning rate, warm-up, cosine decay and weight decay; its global gradient-norm
 *     clip must be infinite (each example's gradient is clipped to {@code privacy.clipNorm} instead)
 * @param steps the number of DP-SGD steps, or 0 to use {@code epochs}
 * @param epochs expected passes over the data (used when {@code steps} is 0)
 * @param clippingMode flat or per layer
 * @param gradientPath how per-example gradients are computed
 * @param physicalBatchSize examples per pass (a larger logical batch is a virtual batch of passes)
 * @param epsilonEvery report epsilon every this many steps (0 = only at the end)
 * @param fixedSizeBatches sample fixed-size batches instead of Poisson (the accountants then do not apply: a
 *     warning is logged)
 * @param nonPrivate a test switch: sigma must be 0, nothing is private and the reported epsilon is infinite
 * @param seed seed of sampling, noise and dropout
 */
public record DpSftConfig(
    PrivacySettings privacy, OptimizerSettings optimizer, long steps, double epochs, ClippingMode clippingMode,
    GradientPath gradientPath, int physicalBatchSize, long epsilonEvery,
    boolean fixedSizeBatches, boolean nonPrivate, long seed) {

  /** Validates; every message names the parameter and the rejected value. */
  public DpSftConfig {
    Objects.requireNonNull(privacy, "privacy");
    Objects.requireNonNull(optimizer, "optimizer");
    Args.check(privacy.enabled(), "give one of noiseMultiplier and targetEpsilon for DP-SGD, got neither");
    if (nonPrivate) {
      privacy.targetEpsilon().ifPresent(target -> Args.check(false,
          "nonPrivate training has no targetEpsilon, got %s", target));
      double sigma = privacy.noiseMultiplier().getAsDouble();
      Args.check(sigma == 0, "noiseMultiplier must be 0 when nonPrivate, got %s", sigma);
    } else {
      privacy.noiseMultiplier().ifPresent(sigma -> Args.positive("noiseMultiplier", sigma));
    }
    Args.check(privacy.sampleRate().isPresent() || privacy.expectedBatchSize().isPresent(),
        "give one of sampleRate and expectedBatchSize, got neither");
    Args.check(optimizer.clipNorm() == Double.POSITIVE_INFINITY, "optimizer.clipNorm must be infinite for DP-SGD "
        + "(each example's gradient is clipped to privacy.clipNorm instead), got %s", optimizer.clipNorm());
    Args.nonNegative("steps", steps);
    Args.positive("epochs", epochs);
    Args.finite("epochs", epochs);
    Objects.requireNonNull(clippingMode, "clippingMode");
    Objects.requireNonNull(gradientPath, "gradientPath");
    Args.positive("physicalBatchSize", physicalBatchSize);
    Args.nonNegative("epsilonEvery", epsilonEvery);
  }

  /**
   * A builder with defaults: clip norm 1.0 (flat), 1 epoch, delta 1/N, lr 1e-3 without warm-up (minimum ratio
   * 0.1), weight decay 0.01, the AUTO gradient path with physical batches of 16, the RDP
   * accountant, Poisson sampling, seed 0. Sigma (or a target epsilon) and q (or an expected batch size) must be
   * set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder().privacy(privacy).optimizer(optimizer).steps(steps).epochs(epochs)
        .clippingMode(clippingMode).gradientPath(gradientPath).physicalBatchSize(physicalBatchSize)
        .epsilonEvery(epsilonEvery).fixedSizeBatches(fixedSizeBatches)
        .nonPrivate(nonPrivate).seed(seed);
  }

  /**
   * Builds a {@link DpSftConfig}. The privacy setters change its {@link PrivacySettings}, the optimizer setters its
   * {@link OptimizerSettings}.
   */
  public static final class Builder {
    private PrivacySettings.Builder privacy = PrivacySettings.builder();
    private OptimizerSettings.Builder optimizer =
        OptimizerSettings.builder().clipNorm(Double.POSITIVE_INFINITY);
    private long steps;
    private double epochs = 1;
    private ClippingMode clippingMode = ClippingMode.FLAT;
    private GradientPath gradientPath = GradientPath.AUTO;
    private int physicalBatchSize = 16;
    private long epsilonEvery;
    private boolean fixedSizeBatches;
    private boolean nonPrivate;
    private long seed;

    private Builder() {}

    /** All privacy settings at once. */
    public Builder privacy(PrivacySettings v) {
      privacy = Objects.requireNonNull(v, "privacy").toBuilder();
      return this;
    }

    /** All optimizer settings at once (the global clip norm must be infinite). */
    public Builder optimizer(OptimizerSettings v) {
      optimizer = Objects.requireNonNull(v, "optimizer").toBuilder();
      return this;
    }

    /** Sigma, the noise standard deviation over C ({@code > 0}). */
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

    /** Flat or per-layer clipping (default flat). */
    public Builder clippingMode(ClippingMode v) {
      clippingMode = v;
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

    /** The per-example gradient path (default AUTO). */
    public Builder gradientPath(GradientPath v) {
      gradientPath = v;
      return this;
    }

    /** Examples per pass (default 16). */
    public Builder physicalBatchSize(int v) {
      physicalBatchSize = v;
      return this;
    }

    /** Report epsilon every this many steps (default 0 = only at the end). */
    public Builder epsilonEvery(long v) {
      epsilonEvery = v;
      return this;
    }

    /** Fixed-size batches instead of Poisson sampling; the accountants then do not apply (default false). */
    public Builder fixedSizeBatches(boolean v) {
      fixedSizeBatches = v;
      return this;
    }

    /** Test switch: no noise (sigma 0), no privacy, infinite epsilon (default false). */
    public Builder nonPrivate(boolean v) {
      nonPrivate = v;
      return this;
    }

    /** Seed of sampling, noise and dropout (default 0). */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Validates and builds. */
    public DpSftConfig build() {
      return new DpSftConfig(privacy.build(), optimizer.build(), steps, epochs, clippingMode, gradientPath,
          physicalBatchSize, epsilonEvery, fixedSizeBatches, nonPrivate, seed);
    }
  }
}
