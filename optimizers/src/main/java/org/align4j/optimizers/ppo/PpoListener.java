package org.align4j.optimizers.ppo;

import org.align4j.core.train.TrainingListener;

/**
 * A {@link TrainingListener} that also receives each PPO iteration's metrics. Plain training listeners (such as
 * the progress bar) receive every optimiser step.
 */
public interface PpoListener extends TrainingListener {

  /** Called after every iteration. */
  default void onIteration(PpoMetrics metrics) {}
}
