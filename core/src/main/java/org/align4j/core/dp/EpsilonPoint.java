package org.align4j.core.dp;

/**
 * The privacy spent after a step.
 *
 * @param step the 1-based step
 * @param epsilon epsilon at the run's delta
 */
public record EpsilonPoint(long step, double epsilon) {}
