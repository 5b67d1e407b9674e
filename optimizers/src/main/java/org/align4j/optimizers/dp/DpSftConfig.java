package org.align4j.optimizers.dp;

import java.util.Objects;
import java.util.function.Supplier;
import org.align4j.core.util.Args;
import org.align4j.optimizers.privacy.PrivacyAccountant;
import org.align4j.optimizers.privacy.RdpAccountant;

/**
 * Settings of differentially private next-token training. Build with {@link #builder()}. The privacy settings
 * are given one of two ways each: the noise multiplier sigma or a target epsilon (sigma then calibrated by
 * {@code NoiseCalibration} for the run's q, steps and delta); the sample rate q or the expected batch size
 * {@code q * N}; the number of steps or of epochs ({@code steps = ceil(epochs / q)}). Settings that depend on the
 * data set size N (q from an expected batch size, delta's default 1/N) are resolved when training starts.
 *
 * @param noiseMultiplier sigma, or NaN when {@code targetEpsilon} is given
 * @param targetEpsilon the epsilon to calibrate sigma for, or NaN when sigma is given
 * @param sampleRate q, or NaN when {@code expectedBatchSize} is given
 * @param expectedBatchSize {@code q * N}, or NaN when q is given
 * @param steps the number of DP-SGD steps, or 0 to use {@code epochs}
 * @param epochs expected passes over the data (used when {@code steps} is 0)
 * @param clipNorm C, the bound on each example's gradient norm
 * @param clippingMode flat or per layer
 * @param delta the delta of the (epsilon, delta) guarantee, or NaN for 1/N
 * @param learningRate peak learning rate of AdamW
 * @param warmupSteps linear warm-up steps
 * @param minLearningRateRatio final learning rate of the cosine decay as a fraction of the peak
 * @param weightDecay AdamW decoupled weight decay (matrices and embeddings only)
 * @param gradientPath how per-example gradients are computed
 * @param physicalBatchSize examples per vectorised pass (a larger logical batch is a virtual batch of passes)
 * @param memoryBudgetBytes what {@link GradientPath#AUTO} may spend on a vectorised pass
 * @param accountants makes the accountant (empty) that records the run; RDP by default
 * @param epsilonEvery report epsilon every this many steps (0 = only at the end)
 * @param fixedSizeBatches sample fixed-size batches instead of Poisson (the accountants then do not apply: a
 *     warning is logged)
 * @param nonPrivate a test switch: sigma must be 0, nothing is private and the reported epsilon is infinite
 * @param seed seed of sampling, noise and dropout
 */
public record DpSftConfig(
    double noiseMultiplier, double targetEpsilon, double sampleRate, double expectedBatchSize, long steps,
    double epochs, double clipNorm, ClippingMode clippingMode, double delta, double learningRate, long warmupSteps,
    double minLearningRateRatio, double weightDecay, GradientPath gradientPath, int physicalBatchSize,
    long memoryBudgetBytes, Supplier<? extends PrivacyAccountant> accountants, long epsilonEvery,
    boolean fixedSizeBatches, boolean nonPrivate, long seed) {

  /** Validates; every message names the parameter and the rejected value. */
  public DpSftConfig {
    boolean hasSigma = !Double.isNaN(noiseMultiplier);
    boolean hasTarget = !Double.isNaN(targetEpsilon);
    Args.check(hasSigma != hasTarget,
        "give exactly one of noiseMultiplier and targetEpsilon, got noiseMultiplier %s and targetEpsilon %s",
        noiseMultiplier, targetEpsilon);
    if (hasSigma) {
      Args.finite("noiseMultiplier", noiseMultiplier);
      if (nonPrivate) {
        Args.check(noiseMultiplier == 0, "noiseMultiplier must be 0 when nonPrivate, got %s", noiseMultiplier);
      } else {
        Args.positive("noiseMultiplier", noiseMultiplier);
      }
    } else {
      Args.check(!nonPrivate, "nonPrivate training has no targetEpsilon, got %s", targetEpsilon);
      Args.positive("targetEpsilon", targetEpsilon);
      Args.finite("targetEpsilon", targetEpsilon);
    }
    Args.check(Double.isNaN(sampleRate) != Double.isNaN(expectedBatchSize),
        "give exactly one of sampleRate and expectedBatchSize, got sampleRate %s and expectedBatchSize %s", sampleRate,
        expectedBatchSize);
    if (!Double.isNaN(sampleRate)) {
      Args.inOpenClosed("sampleRate", sampleRate, 0, 1);
    } else {
      Args.positive("expectedBatchSize", expectedBatchSize);
      Args.finite("expectedBatchSize", expectedBatchSize);
    }
    Args.nonNegative("steps", steps);
    Args.positive("epochs", epochs);
    Args.finite("epochs", epochs);
    Args.positive("clipNorm", clipNorm);
    Args.finite("clipNorm", clipNorm);
    Objects.requireNonNull(clippingMode, "clippingMode");
    if (!Double.isNaN(delta)) {
      Args.inOpen("delta", delta, 0, 1);
    }
    Args.positive("learningRate", learningRate);
    Args.finite("learningRate", learningRate);
    Args.nonNegative("warmupSteps", warmupSteps);
    Args.inClosed("minLearningRateRatio", minLearningRateRatio, 0, 1);
    Args.nonNegative("weightDecay", weightDecay);
    Objects.requireNonNull(gradientPath, "gradientPath");
    Args.positive("physicalBatchSize", physicalBatchSize);
    Args.positive("memoryBudgetBytes", memoryBudgetBytes);
    Objects.requireNonNull(accountants, "accountants");
    Args.nonNegative("epsilonEvery", epsilonEvery);
  }

  /**
   * A builder with defaults: clip norm 1.0 (flat), 1 epoch, delta 1/N, lr 1e-3 without warm-up (minimum ratio
   * 0.1), weight decay 0.01, the AUTO gradient path with physical batches of 16 and a 1 GiB budget, the RDP
   * accountant, Poisson sampling, seed 0. Sigma (or a target epsilon) and q (or an expected batch size) must be
   * set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** q for a data set of {@code n} examples. */
  public double sampleRateFor(int n) {
    if (!Double.isNaN(sampleRate)) {
      return sampleRate;
    }
    Args.check(expectedBatchSize <= n, "expectedBatchSize must be <= the number of examples %s, got %s", n,
        expectedBatchSize);
    return expectedBatchSize / n;
  }

  /** Delta for a data set of {@code n} examples: the configured one, or 1/N. */
  public double deltaFor(int n) {
    if (!Double.isNaN(delta)) {
      return delta;
    }
    Args.check(n >= 2, "the default delta 1/N needs at least 2 examples, got %s", n);
    return 1.0 / n;
  }

  /** Builds a {@link DpSftConfig}. */
  public static final class Builder {
    private double noiseMultiplier = Double.NaN;
    private double targetEpsilon = Double.NaN;
    private double sampleRate = Double.NaN;
    private double expectedBatchSize = Double.NaN;
    private long steps;
    private double epochs = 1;
    private double clipNorm = 1.0;
    private ClippingMode clippingMode = ClippingMode.FLAT;
    private double delta = Double.NaN;
    private double learningRate = 1e-3;
    private long warmupSteps;
    private double minLearningRateRatio = 0.1;
    private double weightDecay = 0.01;
    private GradientPath gradientPath = GradientPath.AUTO;
    private int physicalBatchSize = 16;
    private long memoryBudgetBytes = 1L << 30;
    private Supplier<? extends PrivacyAccountant> accountants = RdpAccountant::new;
    private long epsilonEvery;
    private boolean fixedSizeBatches;
    private boolean nonPrivate;
    private long seed;

    private Builder() {}

    /** Sigma, the noise standard deviation over C ({@code > 0}). */
    public Builder noiseMultiplier(double v) {
      noiseMultiplier = v;
      return this;
    }

    /** A target epsilon instead of sigma: sigma is calibrated for it. */
    public Builder targetEpsilon(double v) {
      targetEpsilon = v;
      return this;
    }

    /** q, the probability that an example joins a batch, in (0, 1]. */
    public Builder sampleRate(double v) {
      sampleRate = v;
      return this;
    }

    /** The expected batch size {@code q * N} instead of q. */
    public Builder expectedBatchSize(double v) {
      expectedBatchSize = v;
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

    /** C (default 1.0). */
    public Builder clipNorm(double v) {
      clipNorm = v;
      return this;
    }

    /** Flat or per-layer clipping (default flat). */
    public Builder clippingMode(ClippingMode v) {
      clippingMode = v;
      return this;
    }

    /** Delta (default 1/N). */
    public Builder delta(double v) {
      delta = v;
      return this;
    }

    /** Peak learning rate (default 1e-3). */
    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    /** Warm-up steps (default 0). */
    public Builder warmupSteps(long v) {
      warmupSteps = v;
      return this;
    }

    /** Final learning rate as a fraction of the peak (default 0.1). */
    public Builder minLearningRateRatio(double v) {
      minLearningRateRatio = v;
      return this;
    }

    /** AdamW weight decay (default 0.01). */
    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    /** The per-example gradient path (default AUTO). */
    public Builder gradientPath(GradientPath v) {
      gradientPath = v;
      return this;
    }

    /** Examples per vectorised pass (default 16). */
    public Builder physicalBatchSize(int v) {
      physicalBatchSize = v;
      return this;
    }

    /** Memory the AUTO path may spend on a vectorised pass (default 1 GiB). */
    public Builder memoryBudgetBytes(long v) {
      memoryBudgetBytes = v;
      return this;
    }

    /** Makes the accountant recording the run (default {@code RdpAccountant::new}). */
    public Builder accountants(Supplier<? extends PrivacyAccountant> v) {
      accountants = v;
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
      return new DpSftConfig(noiseMultiplier, targetEpsilon, sampleRate, expectedBatchSize, steps, epochs,
          clipNorm, clippingMode, delta, learningRate, warmupSteps, minLearningRateRatio, weightDecay,
          gradientPath, physicalBatchSize, memoryBudgetBytes, accountants, epsilonEvery, fixedSizeBatches,
          nonPrivate, seed);
    }
  }
}
