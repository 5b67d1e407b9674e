package org.align4j.core.train;

/**
 * A {@link TrainerBuilder} for trainers that pass over a fixed data set (SFT, reward model, DPO): epochs, or a fixed
 * number of steps, and periodic evaluation. Defaults: 1 epoch, no fixed steps, evaluation at the end only.
 *
 * @param <B> the trainer's builder, which every setter returns
 */
public abstract class EpochTrainerBuilder<B extends EpochTrainerBuilder<B>> extends TrainerBuilder<B> {

  private int epochs = 1;
  private long maxSteps;
  private long evalEvery;

  /** A builder with the trainer's default batch size and optimizer settings. */
  protected EpochTrainerBuilder(int batchSize, OptimizerSettings optimizer) {
    super(batchSize, optimizer);
  }

  /** Passes over the training data (default 1; used when no fixed number of steps is set). */
  public B epochs(int v) {
    epochs = v;
    return self();
  }

  /** A fixed number of steps instead of epochs (default 0 = use epochs). */
  public B maxSteps(long v) {
    maxSteps = v;
    return self();
  }

  /** Evaluate every this many steps when evaluation data is given (default 0 = only at the end). */
  public B evalEvery(long v) {
    evalEvery = v;
    return self();
  }

  /** The epochs set. */
  protected int epochs() {
    return epochs;
  }

  /** The fixed number of steps set (0 for none). */
  protected long maxSteps() {
    return maxSteps;
  }

  /** The evaluation interval set. */
  protected long evalEvery() {
    return evalEvery;
  }
}
