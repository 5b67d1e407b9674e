package org.align4j.rewardmodel.eval;

/**
 * Summary statistics of a set of rewards.
 *
 * @param count the number of rewards
 * @param mean their mean
 * @param std their population standard deviation
 * @param min the smallest
 * @param max the largest
 */
public record RewardStats(int count, double mean, double std, double min, double max) {

  /** The statistics of {@code values} (at least one, finite). */
  public static RewardStats of(double[] values) {
    double mean = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      mean += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    mean /= values.length;
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return new RewardStats(values.length, mean, Math.sqrt(squares / values.length), min, max);
  }
}
