package org.align4j.optimizers.dpo;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.train.EpochTrainerBuilder;
import org.align4j.core.train.LoopSettings;
import org.align4j.core.train.OptimizerSettings;
import org.align4j.core.train.Sampling;
import org.align4j.core.train.TrainingLoop;
import org.align4j.core.util.Args;
import org.align4j.optimizers.preference.PreferenceLoss;

/**
 * Settings of DPO-style training. Build with {@link #builder()}; every setting has a default and is validated.
 *
 * @param loss the preference loss (not batch-coupled: the AOT losses have no SameDiff form)
 * @param batchSize preference pairs per step (each step runs {@code 2 * batchSize} sequences)
 * @param epochs passes over the training pairs (used when {@code maxSteps} is 0)
 * @param maxSteps a fixed number of steps instead of epochs (0 = use epochs)
 * @param optimizer peak learning rate and schedule, AdamW's weight decay and the global gradient-norm clip
 * @param evalEvery evaluate every this many steps when evaluation pairs are given (0 = only at the end)
 * @param privacy none, or DP-SGD's settings: with a target epsilon or a noise multiplier the run trains by DP-SGD
 *     with pair-level privacy (a pair, both its sequences, is one example) on Poisson samples of {@code batchSize}
 *     pairs expected unless the settings give their own sampling; {@code maxSteps} or {@code epochs} sets its
 *     length, the optimizer's global clip is replaced by the per-pair clip, and evaluation pairs are evaluated once,
 *     after training. A private run refuses what it cannot honour: a loss with an NLL term (a mean over the batch),
 *     {@code evalEvery > 0} and a reference cache
 * @param seed seed of the data order and dropout (and, with privacy, of the sampling and the noise)
 * @param referenceCache file for the reference log-probabilities, reused when it matches the data and the
 *     reference model (empty = compute them every run)
 */
public record DpoConfig(
    PreferenceLoss loss, int batchSize, int epochs, long maxSteps, OptimizerSettings optimizer, long evalEvery,
    PrivacySettings privacy, long seed, Optional<Path> referenceCache) {

  /** Validates; with privacy, settings the private run cannot honour are refused naming the setting and value. */
  public DpoConfig {
    Args.check(loss != null, "loss must not be null");
    Args.check(!loss.type().isBatchCoupled(), "loss type %s sorts over the batch and cannot be trained with DpoTrainer",
        loss.type());
    Args.positive("batchSize", batchSize);
    Args.positive("epochs", epochs);
    Args.nonNegative("maxSteps", maxSteps);
    Objects.requireNonNull(optimizer, "optimizer");
    Args.nonNegative("evalEvery", evalEvery);
    Objects.requireNonNull(privacy, "privacy");
    referenceCache = Objects.requireNonNullElse(referenceCache, Optional.empty());
    if (privacy.enabled()) {
      Args.check(loss.nllWeight() == 0, "loss.nllWeight must be 0 with privacy (the NLL term is a mean over the "
          + "batch, so one pair's loss would depend on the others), got %s", loss.nllWeight());
      Args.check(evalEvery == 0, "evalEvery must be 0 with privacy (a private run evaluates once, after training), "
          + "got %s", evalEvery);
      Args.check(referenceCache.isEmpty(), "referenceCache %s is not used with privacy (a private run computes the "
          + "reference log-probabilities once in memory)", referenceCache.orElse(null));
    }
  }

  /** The settings of the {@link TrainingLoop} (evaluating before the first step too). */
  LoopSettings loopSettings() {
    return LoopSettings.builder().sampling(Sampling.shuffled(batchSize)).epochs(epochs).maxSteps(maxSteps)
        .optimizer(optimizer).evalEvery(evalEvery).evaluateAtStart(true).seed(seed).build();
  }

  /**
   * A builder with defaults: DPO (sigmoid, beta 0.1), 8 pairs per step, 1 epoch, lr 1e-4, no warm-up, min ratio
   * 0.1, no weight decay, clip 1.0, evaluation at the end only, no privacy, seed 0, no reference cache.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder().loss(loss).batchSize(batchSize).epochs(epochs).maxSteps(maxSteps).optimizer(optimizer)
        .evalEvery(evalEvery).privacy(privacy).seed(seed).referenceCache(referenceCache.orElse(null));
  }

  /**
   * Builds a {@link DpoConfig}. Defaults: DPO (sigmoid, beta 0.1), 8 pairs per step, 1 epoch, lr 1e-4, no warm-up,
   * min ratio 0.1, no weight decay, clip 1.0, evaluation at the end only, no privacy, seed 0, no reference cache.
   */
  public static final class Builder extends EpochTrainerBuilder<Builder> {
    private PreferenceLoss loss = PreferenceLoss.builder().build();
    private Path referenceCache;

    private Builder() {
      super(8, OptimizerSettings.builder().learningRate(1e-4).weightDecay(0).build());
    }

    /** The preference loss (default DPO with beta 0.1). */
    public Builder loss(PreferenceLoss v) {
      loss = v;
      return this;
    }

    /** File caching the reference log-probabilities (default none; null clears it). */
    public Builder referenceCache(Path v) {
      referenceCache = v;
      return this;
    }

    /** Validates and builds. */
    public DpoConfig build() {
      return new DpoConfig(loss, batchSize(), epochs(), maxSteps(), optimizer(), evalEvery(), privacy(), seed(),
          Optional.ofNullable(referenceCache));
    }
  }
}
