package org.align4j.optimizers.rl;

import java.util.Objects;
import org.align4j.core.util.Args;

/** Masked whitening of advantages or rewards over a whole batch, in the conventions of TRL and OpenRLHF. */
public final class Whitening {

  private Whitening() {}

  /** How the variance is estimated and guarded. */
  public enum Convention {
    /** TRL's {@code masked_whiten}: unbiased (n - 1) variance, {@code (x - μ) / sqrt(var + 1e-8)}. */
    TRL,
    /** OpenRLHF: population (n) variance, {@code (x - μ) / sqrt(max(var, 1e-8))}. */
    OPENRLHF
  }

  /**
   * Whitens {@code x} over the positions where {@code mask} is 1; the result is 0 on padding.
   *
   * @param shiftMean false adds the mean back (TRL's {@code shift_mean=False}, used to whiten rewards)
   * @throws IllegalArgumentException for mismatched shapes, an empty mask, or fewer than two tokens under
   *     {@link Convention#TRL} (its unbiased variance needs two)
   */
  public static double[][] whiten(double[][] x, double[][] mask, Convention convention, boolean shiftMean) {
    Objects.requireNonNull(convention, "convention");
    Rollouts.checkBatch("x", x);
    Rollouts.checkMask(mask, "x", x);
    double mean = Rollouts.maskedMean(x, mask);
    double squares = 0;
    double count = 0;
    for (int b = 0; b < x.length; b++) {
      for (int i = 0; i < x[b].length; i++) {
        double d = x[b][i] - mean;
        squares += d * d * mask[b][i];
        count += mask[b][i];
      }
    }
    double scale;
    if (convention == Convention.TRL) {
      Args.check(count >= 2, "whitening with an unbiased variance needs at least 2 tokens, got %s", count);
      scale = 1 / Math.sqrt(squares / (count - 1) + 1e-8);
    } else {
      scale = 1 / Math.sqrt(Math.max(squares / count, 1e-8));
    }
    double[][] out = new double[x.length][];
    for (int b = 0; b < x.length; b++) {
      out[b] = new double[x[b].length];
      for (int i = 0; i < x[b].length; i++) {
        double w = (x[b][i] - mean) * scale + (shiftMean ? 0 : mean);
        out[b][i] = mask[b][i] == 1 ? w : 0.0;
      }
    }
    return out;
  }
}
