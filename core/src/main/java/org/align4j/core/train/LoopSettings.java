package org.align4j.core.train;

import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * Settings of a {@link TrainingLoop}. Build with {@link #builder()}; every setting has a validated default.
 *
 * @param sampling how batches are drawn
 * @param epochs passes over the data (used when {@code maxSteps} is 0), {@code > 0}
 * @param maxSteps a fixed number of steps instead of epochs (0 = use epochs)
 * @param updatesPerBatch optimiser updates on each batch (k), {@code >= 1}; one step is one batch
 * @param optimizer learning rate, schedule, weight decay and clipping
 * @param evalEvery evaluate every this many steps when there is an evaluator (0 = only at the end)
 * @param patience stop after this many evaluations without improvement and restore the best parameters (0 =
 *     never stop early)
 * @param minImprovement how much lower than the best an evaluation loss must be to count as better, {@code >= 0}
 * @param evaluateAtStart whether to evaluate once before the first step (as step 0)
 * @param seed seed of the batches and of ND4J's random numbers (dropout)
 */
public record LoopSettings(
    Sampling sampling, double epochs, long maxSteps, int updatesPerBatch, OptimizerSettings optimizer,
    long evalEvery, int patience, double minImprovement, boolean evaluateAtStart, long seed) {

  /** Validates. */
  public LoopSettings {
    Objects.requireNonNull(sampling, "sampling");
    Args.positive("epochs", epochs);
    Args.finite("epochs", epochs);
    Args.nonNegative("maxSteps", maxSteps);
    Args.positive("updatesPerBatch", updatesPerBatch);
    Objects.requireNonNull(optimizer, "optimizer");
    Args.nonNegative("evalEvery", evalEvery);
    Args.nonNegative("patience", patience);
    Args.nonNegative("minImprovement", minImprovement);
  }

  /**
   * A builder with defaults: shuffled batches of 16, 1 epoch, 1 update per batch, {@link OptimizerSettings}'s
   * defaults, evaluation only at the end, no early stopping, seed 0.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder().sampling(sampling).epochs(epochs).maxSteps(maxSteps).updatesPerBatch(updatesPerBatch)
        .optimizer(optimizer).evalEvery(evalEvery).patience(patience).minImprovement(minImprovement)
        .evaluateAtStart(evaluateAtStart).seed(seed);
  }

  /** Builds {@link LoopSettings}. */
  public static final class Builder {
    private Sampling sampling = Sampling.shuffled(16);
    private double epochs = 1;
    private long maxSteps;
    private int updatesPerBatch = 1;
    private OptimizerSettings optimizer = OptimizerSettings.builder().build();
    private long evalEvery;
    private int patience;
    private double minImprovement;
    private boolean evaluateAtStart;
    private long seed;

    private Builder() {}

    /** How batches are drawn (default shuffled batches of 16). */
    public Builder sampling(Sampling v) {
      sampling = v;
      return this;
    }

    /** Passes over the data (default 1). */
    public Builder epochs(double v) {
      epochs = v;
      return this;
    }

    /** A fixed number of steps instead of epochs (default 0 = use epochs). */
    public Builder maxSteps(long v) {
      maxSteps = v;
      return this;
    }

    /** Optimiser updates on each batch (default 1). */
    public Builder updatesPerBatch(int v) {
      updatesPerBatch = v;
      return this;
    }

    /** Optimiser settings (default {@code OptimizerSettings.builder().build()}). */
    public Builder optimizer(OptimizerSettings v) {
      optimizer = v;
      return this;
    }

    /** Evaluation interval in steps (default 0 = only at the end). */
    public Builder evalEvery(long v) {
      evalEvery = v;
      return this;
    }

    /** Evaluations without improvement before stopping (default 0 = never). */
    public Builder patience(int v) {
      patience = v;
      return this;
    }

    /** Required improvement of the evaluation loss (default 0). */
    public Builder minImprovement(double v) {
      minImprovement = v;
      return this;
    }

    /** Whether to evaluate before the first step (default false). */
    public Builder evaluateAtStart(boolean v) {
      evaluateAtStart = v;
      return this;
    }

    /** Seed (default 0). */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** The validated settings. */
    public LoopSettings build() {
      return new LoopSettings(sampling, epochs, maxSteps, updatesPerBatch, optimizer, evalEvery, patience,
          minImprovement, evaluateAtStart, seed);
    }
  }
}
