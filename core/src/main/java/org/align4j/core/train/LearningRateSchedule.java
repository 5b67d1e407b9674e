package org.align4j.core.train;

import org.align4j.core.util.Args;

/**
 * Linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then cosine decay to {@code peak * minRatio} at
 * {@code totalSteps}.
 *
 * @param peak the peak learning rate, > 0
 * @param warmupSteps warm-up steps, >= 0
 * @param totalSteps total steps, > 0
 * @param minRatio the final learning rate as a fraction of the peak, in [0, 1]
 */
public record LearningRateSchedule(double peak, long warmupSteps, long totalSteps, double minRatio) {

  /** Validates. */
  public LearningRateSchedule {
    Args.positive("learningRate", peak);
    Args.nonNegative("warmupSteps", warmupSteps);
    Args.positive("totalSteps", totalSteps);
    Args.inClosed("minLearningRateRatio", minRatio, 0, 1);
  }

  /** The learning rate of step {@code step} (0-based). */
  public double at(long step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    long decaySteps = Math.max(1, totalSteps - warmupSteps);
    double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
    double min = peak * minRatio;
    return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * progress));
  }
}
