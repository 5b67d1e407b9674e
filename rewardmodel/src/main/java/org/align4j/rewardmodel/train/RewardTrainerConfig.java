package org.align4j.rewardmodel.train;

import java.nio.file.Path;
import java.util.Objects;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.train.EpochTrainerBuilder;
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
 * @param optimizer AdamW's peak learning rate and schedule, its decoupled weight decay (matrices, embeddings and the
 *     head weight) and the global gradient-norm clip
 * @param centerRewardsCoefficient coefficient c of the centring term c * mean((r_c + r_r)^2)
 * @param useMargins whether the pairs' margins enter the loss -log sigmoid(r_c - r_r - margin)
 * @param evalEvery evaluate every this many steps when evaluation data is given (0 = only at the end)
 * @param privacy none, or DP-SGD's settings: with a target epsilon or a noise multiplier the run trains by DP-SGD
 *     with pair-level privacy (a pair's two sequences are one example) on Poisson samples of {@code batchSize}
 *     pairs expected unless the settings give their own sampling; {@code maxSteps} or {@code epochs} sets its
 *     length, the optimizer's global clip is replaced by the per-pair clip, and the head bias, which cancels in
 *     the loss, is not trained. A private run evaluates once, after training, and offers neither the centring
 *     term, nor {@code evalEvery}, nor checkpoints: those settings are refused with privacy
 * @param seed seed of the data order and dropout (and, with privacy, of the sampling and the noise)
 * @param checkpointEvery save the model every this many steps (0 = never); needs {@code checkpointDirectory}
 * @param checkpointDirectory where checkpoints go, as {@code step-<n>} directories, or null for none
 */
public record RewardTrainerConfig(
    int batchSize, int epochs, long maxSteps, OptimizerSettings optimizer, double centerRewardsCoefficient,
    boolean useMargins, long evalEvery, PrivacySettings privacy, long seed, long checkpointEvery,
    Path checkpointDirectory) {

  /** Validates. */
  public RewardTrainerConfig {
    Args.positive("batchSize", batchSize);
    Args.positive("epochs", epochs);
    Args.nonNegative("maxSteps", maxSteps);
    Objects.requireNonNull(optimizer, "optimizer");
    Args.nonNegative("centerRewardsCoefficient", centerRewardsCoefficient);
    Args.finite("centerRewardsCoefficient", centerRewardsCoefficient);
    Args.nonNegative("evalEvery", evalEvery);
    Args.nonNegative("checkpointEvery", checkpointEvery);
    Args.check(checkpointEvery == 0 || checkpointDirectory != null,
        "checkpointEvery is %s but no checkpointDirectory is set", checkpointEvery);
    Objects.requireNonNull(privacy, "privacy");
    if (privacy.enabled()) {
      Args.check(centerRewardsCoefficient == 0,
          "centerRewardsCoefficient is %s but privacy is enabled: private training has no centring term",
          centerRewardsCoefficient);
      Args.check(evalEvery == 0, "evalEvery is %s but privacy is enabled: a private run evaluates once, at the end",
          evalEvery);
      Args.check(checkpointEvery == 0, "checkpointEvery is %s but privacy is enabled: a private run saves no "
          + "checkpoints", checkpointEvery);
    }
  }

  /** The float64 loss these settings describe (with or without the centring term). */
  public BradleyTerryLoss loss() {
    return centerRewardsCoefficient == 0 ? BradleyTerryLoss.plain()
        : BradleyTerryLoss.withCentering(centerRewardsCoefficient);
  }

  /** The settings of the {@link TrainingLoop}. */
  LoopSettings loopSettings() {
    return LoopSettings.builder().sampling(Sampling.shuffled(batchSize)).epochs(epochs).maxSteps(maxSteps)
        .optimizer(optimizer).evalEvery(evalEvery).seed(seed).build();
  }

  /**
   * A builder with defaults: batch 8 pairs, 1 epoch, lr 1e-4, no warm-up, min ratio 0.1, no weight decay, clip 1.0,
   * no centring, margins used, evaluation at the end, no privacy, seed 0, no checkpoints.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder().batchSize(batchSize).epochs(epochs).maxSteps(maxSteps).optimizer(optimizer)
        .centerRewardsCoefficient(centerRewardsCoefficient).useMargins(useMargins).evalEvery(evalEvery)
        .privacy(privacy).seed(seed).checkpoints(checkpointDirectory, checkpointEvery);
  }

  /**
   * Builds a {@link RewardTrainerConfig}. Defaults: batch 8 pairs (each step scores 2 x batchSize sequences), 1
   * epoch, lr 1e-4, no warm-up, min ratio 0.1, no weight decay, clip 1.0, no centring, margins used, evaluation at
   * the end, no privacy, seed 0, no checkpoints.
   */
  public static final class Builder extends EpochTrainerBuilder<Builder> {
    private double centerRewardsCoefficient;
    private boolean useMargins = true;
    private long checkpointEvery;
    private Path checkpointDirectory;

    private Builder() {
      super(8, OptimizerSettings.builder().learningRate(1e-4).weightDecay(0).build());
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
      return new RewardTrainerConfig(batchSize(), epochs(), maxSteps(), optimizer(), centerRewardsCoefficient,
          useMargins, evalEvery(), privacy(), seed(), checkpointEvery, checkpointDirectory);
    }
  }
}
