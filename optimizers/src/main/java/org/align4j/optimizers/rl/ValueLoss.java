package org.align4j.optimizers.rl;

import org.align4j.core.util.Args;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * PPO's value loss {@code ½·mean(max((V - R)², (clip(V, V_old ± ε_v) - R)²))} over response tokens, or the
 * unclipped {@code ½·mean((V - R)²)}. Immutable.
 */
public final class ValueLoss {

  private final double clipRange;

  private ValueLoss(double clipRange) {
    this.clipRange = clipRange;
  }

  /** The clipped value loss with range {@code ε_v > 0} (TRL: 0.2; OpenRLHF: 0.5). */
  public static ValueLoss clipped(double clipRange) {
    Args.finite("clipRange", Args.positive("clipRange", clipRange));
    return new ValueLoss(clipRange);
  }

  /** The unclipped squared error. */
  public static ValueLoss unclipped() {
    return new ValueLoss(Double.POSITIVE_INFINITY);
  }

  /** The clip range (infinite when unclipped). */
  public double clipRange() {
    return clipRange;
  }

  /**
   * The loss over a batch.
   *
   * @param values {@code [B][T]} current value estimates
   * @param oldValues {@code [B][T]} value estimates at rollout time
   * @param returns {@code [B][T]} GAE returns
   * @param mask {@code [B][T]} 1 on response tokens
   */
  public Result compute(double[][] values, double[][] oldValues, double[][] returns, double[][] mask) {
    int t = Rollouts.checkBatch("values", values);
    Rollouts.checkSameShape("oldValues", oldValues, "values", values);
    Rollouts.checkSameShape("returns", returns, "values", values);
    Rollouts.checkMask(mask, "values", values);
    double[][] loss = new double[values.length][t];
    double[][] clipped = new double[values.length][t];
    for (int b = 0; b < values.length; b++) {
      for (int i = 0; i < t; i++) {
        double v = values[b][i];
        double old = oldValues[b][i];
        double vClipped = Math.max(old - clipRange, Math.min(old + clipRange, v));
        double unclippedLoss = (v - returns[b][i]) * (v - returns[b][i]);
        double clippedLoss = (vClipped - returns[b][i]) * (vClipped - returns[b][i]);
        loss[b][i] = Math.max(unclippedLoss, clippedLoss);
        clipped[b][i] = clippedLoss > unclippedLoss ? 1 : 0;
      }
    }
    return new Result(0.5 * Rollouts.maskedMean(loss, mask), Rollouts.maskedMean(clipped, mask));
  }

  /**
   * The loss as a SameDiff scalar, differentiable with respect to {@code values}: the training form of
   * {@link #compute}'s {@code loss}. All inputs are {@code [B, T]} of one floating-point type; {@code oldValues},
   * {@code returns} and {@code mask} are data (placeholders or constants).
   */
  public SDVariable loss(SameDiff sd, SDVariable values, SDVariable oldValues, SDVariable returns,
      SDVariable mask) {
    Args.check(mask != null, "sd, values, oldValues, returns and mask must not be null");
    return perToken(sd, values, oldValues, returns).mul(mask).sum().div(mask.sum());
  }

  /**
   * The unmasked loss of every position (the half squared error, clipped), {@code [B, T]}, differentiable with
   * respect to {@code values}: what {@link #loss} averages over the mask, for callers that weigh positions
   * themselves. Inputs as for {@link #loss}.
   */
  public SDVariable perToken(SameDiff sd, SDVariable values, SDVariable oldValues, SDVariable returns) {
    Args.check(sd != null && values != null && oldValues != null && returns != null,
        "sd, values, oldValues, returns and mask must not be null");
    SDVariable error = values.sub(returns);
    SDVariable loss = error.mul(error);
    if (Double.isFinite(clipRange)) {
      SDVariable clippedValues = oldValues.add(sd.math.clipByValue(values.sub(oldValues), -clipRange, clipRange));
      SDVariable clippedError = clippedValues.sub(returns);
      // max(u, c) as u + relu(c - u): SameDiff's max sends the gradient to both inputs when they tie, which they
      // do wherever the value is inside the clip range, doubling the gradient there.
      loss = loss.add(sd.nn.relu(clippedError.mul(clippedError).sub(loss), 0.0));
    }
    return loss.mul(0.5);
  }

  /**
   * The value loss and how often clipping decided it.
   *
   * @param loss the loss
   * @param clipFraction fraction of response tokens where the clipped term is the larger (TRL's
   *     {@code vf_clipfrac})
   */
  public record Result(double loss, double clipFraction) {}
}
