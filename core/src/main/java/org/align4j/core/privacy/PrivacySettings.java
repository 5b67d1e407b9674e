package org.align4j.core.privacy;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.align4j.core.dp.ClippingMode;
import org.align4j.core.dp.GradientPath;
import org.align4j.core.util.Args;

/**
 * The privacy settings of a training run: none (no DP-SGD), a target epsilon (the noise multiplier is calibrated
 * for it), or a noise multiplier; with delta, the per-example clip norm C, the sampling (an expected batch size or
 * a sample rate) and the accountant. Settings left out are empty, never NaN. Build with {@link #builder()}; every
 * setting has a validated default, and an invalid or contradictory one throws {@link IllegalArgumentException}
 * naming the setting and its value: a target epsilon together with a noise multiplier, delta outside (0, 1), a clip
 * norm {@code <= 0}, both an expected batch size and a sample rate, or settings that only DP-SGD reads without a
 * target epsilon or a noise multiplier. Settings that depend on the data size N (delta's default 1/N, the sample
 * rate of an expected batch size, which must not exceed N) are resolved by {@link #deltaFor} and
 * {@link #sampleRateFor}.
 *
 * @param targetEpsilon the epsilon to calibrate the noise multiplier for ({@code > 0}, finite), or empty
 * @param noiseMultiplier sigma, the noise standard deviation over C ({@code >= 0}, finite; 0 adds no noise, so
 *     nothing is private: trainers accept it only as an explicit non-private baseline), or empty
 * @param delta the delta of the (epsilon, delta) guarantee, in (0, 1), or empty for 1/N
 * @param clipNorm C, the bound on each example's gradient norm, {@code > 0} and finite
 * @param expectedBatchSize the expected Poisson batch size {@code q * N} ({@code > 0}), or empty
 * @param sampleRate q, the probability that an example joins a batch, in (0, 1], or empty
 * @param accountant the accountant that records the run and calibrates the noise
 * @param clippingMode flat clipping of each example's whole gradient, or per layer
 * @param gradientPath how per-example gradients are computed (AUTO: the hand-written passes where the
 *     architecture has them)
 * @param physicalBatchSize the most examples of one pass, {@code > 0} (a larger sampled batch is a virtual batch
 *     of passes; memory, not privacy)
 * @param epsilonEvery report epsilon every this many steps, {@code >= 0} (0: only at the end)
 * @param fixedSizeBatches sample batches of fixed size instead of Poisson; the accountants assume Poisson
 *     sampling, so a run that asks for this logs a warning with its epsilon
 */
public record PrivacySettings(
    OptionalDouble targetEpsilon, OptionalDouble noiseMultiplier, OptionalDouble delta, double clipNorm,
    OptionalDouble expectedBatchSize, OptionalDouble sampleRate, Accountant accountant, ClippingMode clippingMode,
    GradientPath gradientPath, int physicalBatchSize, long epsilonEvery, boolean fixedSizeBatches) {

  /** The privacy accountants a run can use. */
  public enum Accountant {
    /** Rényi DP ({@link RdpAccountant}, as Opacus). */
    RDP(RdpAccountant::new),
    /** Privacy loss distributions ({@link PldAccountant}, as Google's dp_accounting). */
    PLD(PldAccountant::new);

    private final Supplier<PrivacyAccountant> factory;

    Accountant(Supplier<PrivacyAccountant> factory) {
      this.factory = factory;
    }

    /** A fresh, empty accountant of this kind. */
    public PrivacyAccountant create() {
      return factory.get();
    }
  }

  /** Validates; every message names the setting and the rejected value. */
  public PrivacySettings {
    Objects.requireNonNull(targetEpsilon, "targetEpsilon");
    Objects.requireNonNull(noiseMultiplier, "noiseMultiplier");
    Objects.requireNonNull(delta, "delta");
    Objects.requireNonNull(expectedBatchSize, "expectedBatchSize");
    Objects.requireNonNull(sampleRate, "sampleRate");
    Objects.requireNonNull(accountant, "accountant");
    Objects.requireNonNull(clippingMode, "clippingMode");
    Objects.requireNonNull(gradientPath, "gradientPath");
    Args.positive("physicalBatchSize", physicalBatchSize);
    Args.nonNegative("epsilonEvery", epsilonEvery);
    if (targetEpsilon.isPresent() && noiseMultiplier.isPresent()) {
      throw new IllegalArgumentException("targetEpsilon " + targetEpsilon.getAsDouble() + " and noiseMultiplier "
          + noiseMultiplier.getAsDouble() + " exclude each other; give one of them");
    }
    targetEpsilon.ifPresent(v -> Args.finite("targetEpsilon", Args.positive("targetEpsilon", v)));
    noiseMultiplier.ifPresent(v -> Args.finite("noiseMultiplier", Args.nonNegative("noiseMultiplier", v)));
    delta.ifPresent(v -> Args.inOpen("delta", v, 0, 1));
    Args.finite("clipNorm", Args.positive("clipNorm", clipNorm));
    if (expectedBatchSize.isPresent() && sampleRate.isPresent()) {
      throw new IllegalArgumentException("expectedBatchSize " + expectedBatchSize.getAsDouble() + " and sampleRate "
          + sampleRate.getAsDouble() + " exclude each other; give one of them");
    }
    expectedBatchSize.ifPresent(v -> Args.finite("expectedBatchSize", Args.positive("expectedBatchSize", v)));
    sampleRate.ifPresent(v -> Args.inOpenClosed("sampleRate", v, 0, 1));
    if (targetEpsilon.isEmpty() && noiseMultiplier.isEmpty()) {
      refuseWithoutNoise("delta", delta);
      refuseWithoutNoise("expectedBatchSize", expectedBatchSize);
      refuseWithoutNoise("sampleRate", sampleRate);
    }
  }

  private static void refuseWithoutNoise(String name, OptionalDouble value) {
    if (value.isPresent()) {
      throw new IllegalArgumentException(name + " " + value.getAsDouble() + " needs a targetEpsilon or a "
          + "noiseMultiplier (without either, training is not private)");
    }
  }

  /** No privacy: training without DP-SGD. */
  public static PrivacySettings none() {
    return builder().build();
  }

  /**
   * A builder with defaults: no privacy (neither a target epsilon nor a noise multiplier), delta 1/N, clip norm 1,
   * no sampling given, the RDP accountant, flat clipping, the AUTO gradient path with physical batches of 16,
   * epsilon reported at the end only, Poisson sampling.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.targetEpsilon = targetEpsilon;
    b.noiseMultiplier = noiseMultiplier;
    b.delta = delta;
    b.clipNorm = clipNorm;
    b.expectedBatchSize = expectedBatchSize;
    b.sampleRate = sampleRate;
    b.accountant = accountant;
    b.clippingMode = clippingMode;
    b.gradientPath = gradientPath;
    b.physicalBatchSize = physicalBatchSize;
    b.epsilonEvery = epsilonEvery;
    b.fixedSizeBatches = fixedSizeBatches;
    return b;
  }

  /** Whether DP-SGD was asked for: a target epsilon or a noise multiplier is given. */
  public boolean enabled() {
    return targetEpsilon.isPresent() || noiseMultiplier.isPresent();
  }

  /**
   * q for a data set of {@code n} examples: the sample rate, or the expected batch size over {@code n} (refused
   * when it exceeds {@code n}, or when neither is given).
   */
  public double sampleRateFor(long n) {
    if (sampleRate.isPresent()) {
      return sampleRate.getAsDouble();
    }
    Args.check(expectedBatchSize.isPresent(), "give one of sampleRate and expectedBatchSize, got neither");
    double expected = expectedBatchSize.getAsDouble();
    if (expected > n) {
      throw new IllegalArgumentException(
          "expectedBatchSize must be <= the number of examples " + n + ", got " + expected);
    }
    return expected / n;
  }

  /** Delta for a data set of {@code n} examples: the configured one, or 1/N (which needs {@code n >= 2}). */
  public double deltaFor(long n) {
    if (delta.isPresent()) {
      return delta.getAsDouble();
    }
    Args.check(n >= 2, "the default delta 1/N needs at least 2 examples, got %s", n);
    return 1.0 / n;
  }

  /**
   * Whether this run adds no noise: a noise multiplier of 0, the explicit non-private baseline of the DP-SGD path
   * (clipped like a private run, its epsilon infinite).
   */
  public boolean noiseFree() {
    return noiseMultiplier.isPresent() && noiseMultiplier.getAsDouble() == 0;
  }

  /**
   * These settings with {@code batchSize} as the expected batch size when neither a sample rate nor an expected
   * batch size is given (a trainer's batch size is the default of its private runs).
   */
  public PrivacySettings withDefaultBatchSize(int batchSize) {
    if (sampleRate.isPresent() || expectedBatchSize.isPresent() || !enabled()) {
      return this;
    }
    return toBuilder().expectedBatchSize(batchSize).build();
  }

  /** A fresh, empty accountant of the configured kind. */
  public PrivacyAccountant newAccountant() {
    return accountant.create();
  }

  /** Builds {@link PrivacySettings}. */
  public static final class Builder {
    private OptionalDouble targetEpsilon = OptionalDouble.empty();
    private OptionalDouble noiseMultiplier = OptionalDouble.empty();
    private OptionalDouble delta = OptionalDouble.empty();
    private double clipNorm = 1.0;
    private OptionalDouble expectedBatchSize = OptionalDouble.empty();
    private OptionalDouble sampleRate = OptionalDouble.empty();
    private Accountant accountant = Accountant.RDP;
    private ClippingMode clippingMode = ClippingMode.FLAT;
    private GradientPath gradientPath = GradientPath.AUTO;
    private int physicalBatchSize = 16;
    private long epsilonEvery;
    private boolean fixedSizeBatches;

    private Builder() {}

    /** A target epsilon: the noise multiplier is calibrated for it (excludes a noise multiplier). */
    public Builder targetEpsilon(double v) {
      targetEpsilon = OptionalDouble.of(v);
      return this;
    }

    /** Sigma, the noise standard deviation over C (excludes a target epsilon). */
    public Builder noiseMultiplier(double v) {
      noiseMultiplier = OptionalDouble.of(v);
      return this;
    }

    /** Clears the target epsilon and the noise multiplier (and so asks for no privacy). */
    public Builder noNoise() {
      targetEpsilon = OptionalDouble.empty();
      noiseMultiplier = OptionalDouble.empty();
      return this;
    }

    /** Delta, in (0, 1) (default 1/N). */
    public Builder delta(double v) {
      delta = OptionalDouble.of(v);
      return this;
    }

    /** C, the bound on each example's gradient norm (default 1). */
    public Builder clipNorm(double v) {
      clipNorm = v;
      return this;
    }

    /** The expected Poisson batch size {@code q * N} (excludes a sample rate). */
    public Builder expectedBatchSize(double v) {
      expectedBatchSize = OptionalDouble.of(v);
      return this;
    }

    /** q, the probability that an example joins a batch, in (0, 1] (excludes an expected batch size). */
    public Builder sampleRate(double v) {
      sampleRate = OptionalDouble.of(v);
      return this;
    }

    /** The accountant (default RDP). */
    public Builder accountant(Accountant v) {
      accountant = v;
      return this;
    }

    /** Flat or per-layer clipping (default flat). */
    public Builder clippingMode(ClippingMode v) {
      clippingMode = v;
      return this;
    }

    /** How per-example gradients are computed (default AUTO). */
    public Builder gradientPath(GradientPath v) {
      gradientPath = v;
      return this;
    }

    /** Examples per pass (default 16). */
    public Builder physicalBatchSize(int v) {
      physicalBatchSize = v;
      return this;
    }

    /** Report epsilon every this many steps (default 0: only at the end). */
    public Builder epsilonEvery(long v) {
      epsilonEvery = v;
      return this;
    }

    /** Fixed-size batches instead of Poisson sampling (default false). */
    public Builder fixedSizeBatches(boolean v) {
      fixedSizeBatches = v;
      return this;
    }

    /** The validated settings. */
    public PrivacySettings build() {
      return new PrivacySettings(targetEpsilon, noiseMultiplier, delta, clipNorm, expectedBatchSize, sampleRate,
          accountant, clippingMode, gradientPath, physicalBatchSize, epsilonEvery, fixedSizeBatches);
    }
  }
}
