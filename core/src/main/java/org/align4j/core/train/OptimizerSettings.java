package org.align4j.core.train;

import org.align4j.core.util.Args;

/**
 * Settings of the optimisation of a {@link TrainingLoop}: AdamW's peak learning rate under linear warm-up and
 * cosine decay, its decoupled weight decay, and clipping by global gradient norm. Build with {@link #builder()};
 * every setting has a validated default (an invalid value throws {@link IllegalArgumentException} naming the
 * setting and the value). Every training config composes one (its {@code optimizer()}), with its own defaults.
 *
 * @param learningRate peak learning rate, {@code > 0} and finite
 * @param warmupSteps linear warm-up steps, {@code >= 0}
 * @param minLearningRateRatio final learning rate of the cosine decay as a fraction of the peak, in [0, 1]
 * @param weightDecay AdamW decoupled weight decay (matrices and embeddings only), {@code >= 0} and finite
 * @param clipNorm maximum global gradient norm, {@code > 0} ({@code Double.POSITIVE_INFINITY} = no clipping)
 */
public record OptimizerSettings(
    double learningRate, long warmupSteps, double minLearningRateRatio, double weightDecay, double clipNorm) {

  /** Validates. */
  public OptimizerSettings {
    Args.finite("learningRate", Args.positive("learningRate", learningRate));
    Args.nonNegative("warmupSteps", warmupSteps);
    Args.inClosed("minLearningRateRatio", minLearningRateRatio, 0, 1);
    Args.finite("weightDecay", Args.nonNegative("weightDecay", weightDecay));
    Args.positive("clipNorm", clipNorm);
  }

  /** A builder with defaults: learning rate 1e-3, no warm-up, min ratio 0.1, weight decay 0.01, clip norm 1. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder().learningRate(learningRate).warmupSteps(warmupSteps)
        .minLearningRateRatio(minLearningRateRatio).weightDecay(weightDecay).clipNorm(clipNorm);
  }

  /** The schedule of a run of {@code totalSteps} steps. */
  public LearningRateSchedule schedule(long totalSteps) {
    return new LearningRateSchedule(learningRate, warmupSteps, totalSteps, minLearningRateRatio);
  }

  /** Builds {@link OptimizerSettings}. */
  public static final class Builder {
    private double learningRate = 1e-3;
    private long warmupSteps;
    private double minLearningRateRatio = 0.1;
    private double weightDecay = 0.01;
    private double clipNorm = 1.0;

    private Builder() {}

    /** Peak learning rate (default 1e-3). */
    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    /** Linear warm-up steps (default 0). */
    public Builder warmupSteps(long v) {
      warmupSteps = v;
      return this;
    }

    /** Final learning rate as a fraction of the peak (default 0.1). */
    public Builder minLearningRateRatio(double v) {
      minLearningRateRatio = v;
      return this;
    }

    /** Decoupled weight decay (default 0.01). */
    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    /** Maximum global gradient norm (default 1; {@code Double.POSITIVE_INFINITY} = no clipping). */
    public Builder clipNorm(double v) {
      clipNorm = v;
      return this;
    }

    /** The validated settings. */
    public OptimizerSettings build() {
      return new OptimizerSettings(learningRate, warmupSteps, minLearningRateRatio, weightDecay, clipNorm);
    }
  }
}
