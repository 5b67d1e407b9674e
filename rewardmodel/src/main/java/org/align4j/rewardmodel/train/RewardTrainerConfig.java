package org.align4j.rewardmodel.train;

import java.nio.file.Path;
import org.align4j.core.train.LoopSettings;
import org.align4j.core.train.OptimizerSettings;
import org.align4j.core.train.Sampling;
import org.align4j.core.train.TrainingLoop;
import org.align4j.core.util.Args;

/**
 * Settings of Bradley-Terry reward-model training. Build with {@link #builder()}; every setting has a default and
 * is validated (an invalid value throws {@link IllegalArgumentException} naming it).
 *
 * @param batchSize preference pairs per step (each step scores 2 x batchSize sequences)
 * @param epochs passes over the training data, used when maxSteps is 0
 * @param maxSteps a fixed number of steps instead of epochs
 * @param learningRate peak learning rate of AdamW
 * @param warmupSteps linear warm-up steps
 * @param minLearningRateRatio final learning rate of the cosine decay as a fraction of the peak
 * @param weightDecay AdamW decoupled weight decay (matrices, embeddings and the head weight)
 * @param clipNorm maximum global gradient norm (Double.POSITIVE_INFINITY = no clipping)
 * @param centerRewardsCoefficient coefficient c of the centring term c * mean((r_c + r_r)^2)
 * @param useMargins whether the pairs' margins enter the loss -log sigmoid(r_c - r_r - margin)
 * @param evalEvery evaluate every this many steps when evaluation data is given
 * @param seed seed of the data order and dropout
 * @param checkpointEvery save the model every this many steps (0 = never); needs {@code checkpointDirectory}
 * @param checkpointDirectory where checkpoints go, as {@code step-<n>} directories, or null for none
 */
public record RewardTrainerConfig(
    int batchSize, int epochs, long maxSteps, double learningRate, long warmupSteps, double minLearningRateRatio,
    double weightDecay, double clipNorm, double centerRewardsCoefficient, boolean useMargins, long evalEvery,
    long seed, long checkpointEvery, Path checkpointDirectory) {

  /** Validates. */
  public RewardTrainerConfig {
    Args.positive("batchSize", batchSize);
    Args.positive("epochs", epochs);
    Args.nonNegative("maxSteps", maxSteps);
    Args.positive("learningRate", learningRate);
    Args.nonNegative("warmupSteps", warmupSteps);
    Args.inClosed("minLearningRateRatio", minLearningRateRatio, 0, 1);
    Args.nonNegative("weightDecay", weightDecay);
    Args.positive("clipNorm", clipNorm);
    Args.nonNegative("centerRewardsCoefficient", centerRewardsCoefficient);
    Args.finite("centerRewardsCoefficient", centerRewardsCoefficient);
    Args.nonNegative("evalEvery", evalEvery);
    Args.nonNegative("checkpointEvery", checkpointEvery);
    Args.check(checkpointEvery == 0 || checkpointDirectory != null,
        "checkpointEvery is %s but no checkpointDirectory is set", checkpointEvery);
  }

  /** The float64 loss these settings describe (with or without the centring term). */
  public BradleyTerryLoss loss() {
    return centerRewardsCoefficient == 0 ? BradleyTerryLoss.plain()
        : BradleyTerryLoss.withCentering(centerRewardsCoefficient);
  }

  /** The settings of the {@link TrainingLoop}. */
  LoopSettings loopSettings() {
    return LoopSettings.builder().sampling(Sampling.shuffled(batchSize)).epochs(epochs).maxSteps(maxSteps)
        .optimizer(OptimizerSettings.builder().learningRate(learningRate).warmupSteps(warmupSteps)
            .minLearningRateRatio(minLearningRateRatio).weightDecay(weightDecay).clipNorm(clipNorm).build())
        .evalEvery(evalEvery).seed(seed).build();
  }

  /**
   * A builder with defaults: batch 8 pairs, 1 epoch, lr 1e-4, no warm-up, min ratio 0.1, no weight decay, clip 1.0,
   * no centring, margins used, evaluation at the end, seed 0, no checkpoints.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RewardTrainerConfig}. */
  public static final class Builder {
    private int batchSize = 8;
    private int epochs = 1;
    private long maxSteps;
    private double learningRate = 1e-4;
    private long warmupSteps;
    private double minLearningRateRatio = 0.1;
    private double weightDecay;
    private double clipNorm = 1.0;
    private double centerRewardsCoefficient;
    private boolean useMargins = true;
    private long evalEvery;
    private long seed;
    private long checkpointEvery;
    private Path checkpointDirectory;

    private Builder() {}

    /** Preference pairs per step (each step scores 2 x batchSize sequences) (default 8). */
    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    /** Passes over the training data, used when maxSteps is 0 (default 1). */
    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    /** A fixed number of steps instead of epochs (default 0 = use epochs). */
    public Builder maxSteps(long v) {
      maxSteps = v;
      return this;
    }

    /** Peak learning rate of AdamW (default 1e-4). */
    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    /** Linear warm-up steps (default 0). */
    public Builder warmupSteps(long v) {
      warmupSteps = v;
      return this;
    }

    /** Final learning rate of the cosine decay as a fraction of the peak (default 0.1). */
    public Builder minLearningRateRatio(double v) {
      minLearningRateRatio = v;
      return this;
    }

    /** AdamW decoupled weight decay (matrices, embeddings and the head weight) (default 0). */
    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    /** Maximum global gradient norm (Double.POSITIVE_INFINITY = no clipping) (default 1.0). */
    public Builder clipNorm(double v) {
      clipNorm = v;
      return this;
    }

    /** Coefficient c of the centring term c * mean((r_c + r_r)^2) (default 0 = off). */
    public Builder centerRewardsCoefficient(double v) {
      centerRewardsCoefficient = v;
      return this;
    }

    /**
     * Whether the pairs' margins enter the loss -log sigmoid(r_c - r_r - margin) (default true; pairs without a
     * margin use 0).
     */
    public Builder useMargins(boolean v) {
      useMargins = v;
      return this;
    }

    /** Evaluate every this many steps when evaluation data is given (default 0 = only at the end). */
    public Builder evalEvery(long v) {
      evalEvery = v;
      return this;
    }

    /** Seed of the data order and dropout (default 0). */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /**
     * Saves the model to {@code directory/step-<n>} every {@code every} steps (default: never); each save is
     * atomic and loads with {@code TransformerRewardModel.load}.
     */
    public Builder checkpoints(Path directory, long every) {
      checkpointDirectory = directory;
      checkpointEvery = every;
      return this;
    }

    /** Validates and builds. */
    public RewardTrainerConfig build() {
      return new RewardTrainerConfig(batchSize, epochs, maxSteps, learningRate, warmupSteps, minLearningRateRatio,
          weightDecay, clipNorm, centerRewardsCoefficient, useMargins, evalEvery, seed, checkpointEvery,
          checkpointDirectory);
    }
  }
}
