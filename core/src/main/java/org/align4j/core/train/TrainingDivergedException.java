package org.align4j.core.train;

import java.util.Locale;

/**
 * Training stopped because a step's loss or gradient norm was not finite (NaN or infinite), usually from a
 * learning rate that is too high. It is thrown before that step's update, and the trainer returns no model, so a
 * caller saves nothing.
 */
public class TrainingDivergedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final long step;
  private final double loss;

  /** Divergence at {@code step} (1-based) with {@code loss}, {@code gradientNorm} and {@code learningRate}. */
  public TrainingDivergedException(long step, double loss, double gradientNorm, double learningRate) {
    super(String.format(Locale.ROOT, "training diverged at step %d: the %s is %s (learning rate %s); nothing was "
        + "saved, try a lower learning rate", step, Double.isFinite(loss) ? "gradient norm" : "loss",
        Double.isFinite(loss) ? gradientNorm : loss, learningRate));
    this.step = step;
    this.loss = loss;
  }

  /** The step (1-based) whose loss or gradient was not finite. */
  public long step() {
    return step;
  }

  /** That step's loss (NaN or infinite when the loss diverged). */
  public double loss() {
    return loss;
  }
}
