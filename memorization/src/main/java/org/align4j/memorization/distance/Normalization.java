package org.align4j.memorization.distance;

import org.align4j.core.util.Args;

/** How an edit distance between a target and a generated sequence becomes a fraction. */
public enum Normalization {
  /** Distance divided by the target's length (the convention of the memorization literature). */
  BY_TARGET,
  /** Distance divided by the longer of the two lengths; always in [0, 1]. */
  BY_LONGER;

  /**
   * The normalised distance. Two empty sequences are at distance 0; otherwise a zero denominator (an empty target
   * under {@link #BY_TARGET}) gives 1.
   */
  public double normalize(int distance, int targetLength, int generatedLength) {
    Args.nonNegative("distance", distance);
    Args.nonNegative("targetLength", targetLength);
    Args.nonNegative("generatedLength", generatedLength);
    int denominator = this == BY_TARGET ? targetLength : Math.max(targetLength, generatedLength);
    if (denominator == 0) {
      return distance == 0 ? 0.0 : 1.0;
    }
    return (double) distance / denominator;
  }
}
