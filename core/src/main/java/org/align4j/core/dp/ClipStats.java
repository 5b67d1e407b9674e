package org.align4j.core.dp;

/**
 * What clipping a batch of per-example gradients saw.
 *
 * @param examples examples in the batch
 * @param lossSum the sum of the examples' losses
 * @param normSum the sum of the examples' gradient norms before clipping
 * @param clipped examples whose gradient was scaled down (in at least one group)
 */
public record ClipStats(int examples, double lossSum, double normSum, int clipped) {

  /** No examples. */
  public static final ClipStats EMPTY = new ClipStats(0, 0, 0, 0);

  /** The two batches together. */
  public ClipStats plus(ClipStats other) {
    return new ClipStats(examples + other.examples, lossSum + other.lossSum, normSum + other.normSum,
        clipped + other.clipped);
  }

  /** Mean loss per example, NaN for an empty batch. */
  public double meanLoss() {
    return examples == 0 ? Double.NaN : lossSum / examples;
  }

  /** Mean gradient norm before clipping, NaN for an empty batch. */
  public double meanNorm() {
    return examples == 0 ? Double.NaN : normSum / examples;
  }
}
