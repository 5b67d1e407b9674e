package org.align4j.optimizers.rl;

/**
 * Supplies the KL-penalty coefficient and adapts it to the KL observed after each rollout. Implementations are
 * immutable: {@link #update} returns the controller for the next step.
 */
public interface KlController {

  /** The current coefficient β of the KL penalty. */
  double coefficient();

  /**
   * The controller after observing a batch.
   *
   * @param observedKl the batch mean of the summed per-token KL of each sequence
   * @param steps the number of samples in the batch ({@code batch_size · world_size})
   */
  KlController update(double observedKl, long steps);
}
