package org.align4j.optimizers.rl;

import org.align4j.core.util.Args;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * PPO's clipped surrogate policy loss per token, {@code max(-A·ρ, -A·clip(ρ, 1 - ε_low, 1 + ε_high))} with
 * {@code ρ = exp(logp - logp_old)}, optionally dual-clipped (Ye et al. 2020; OpenRLHF): for {@code A < 0} the loss
 * is capped at {@code -c·A}. The log-ratio is clamped to ±20 before exponentiating (as OpenRLHF does) so the
 * ratio never overflows. Immutable.
 */
public final class PolicyLoss {

  private static final double LOG_RATIO_CLAMP = 20.0;

  private final double clipLow;
  private final double clipHigh;
  private final double dualClip;

  private PolicyLoss(double clipLow, double clipHigh, double dualClip) {
    this.clipLow = clipLow;
    this.clipHigh = clipHigh;
    this.dualClip = dualClip;
  }

  /** The symmetric clip {@code ε} (0.2 is the usual value), no dual clip. */
  public static PolicyLoss clipped(double epsilon) {
    return clipped(epsilon, epsilon);
  }

  /** Asymmetric clipping {@code [1 - low, 1 + high]} (DAPO's clip-higher, e.g. 0.2 and 0.28). */
  public static PolicyLoss clipped(double low, double high) {
    Args.inOpen("clipLow", low, 0, 1);
    Args.finite("clipHigh", Args.positive("clipHigh", high));
    return new PolicyLoss(low, high, Double.NaN);
  }

  /** This loss with dual clipping at {@code c > 1} (OpenRLHF's {@code dual_clip}, e.g. 3). */
  public PolicyLoss withDualClip(double c) {
    Args.check(c > 1 && Double.isFinite(c), "dualClip must be > 1, got %s", c);
    return new PolicyLoss(clipLow, clipHigh, c);
  }

  /** The lower clip ε_low. */
  public double clipLow() {
    return clipLow;
  }

  /** The upper clip ε_high. */
  public double clipHigh() {
    return clipHigh;
  }

  /** The dual-clip constant, or NaN when off. */
  public double dualClip() {
    return dualClip;
  }

  /**
   * The loss and its statistics over a batch.
   *
   * @param logprobs {@code [B][T]} log-probabilities under the current policy
   * @param oldLogprobs {@code [B][T]} log-probabilities under the policy that sampled the rollouts
   * @param advantages {@code [B][T]}
   * @param mask {@code [B][T]} 1 on response tokens
   */
  public Result compute(double[][] logprobs, double[][] oldLogprobs, double[][] advantages, double[][] mask) {
    int t = Rollouts.checkBatch("logprobs", logprobs);
    Rollouts.checkSameShape("oldLogprobs", oldLogprobs, "logprobs", logprobs);
    Rollouts.checkSameShape("advantages", advantages, "logprobs", logprobs);
    Rollouts.checkMask(mask, "logprobs", logprobs);
    int batch = logprobs.length;
    double[][] ratio = new double[batch][t];
    double[][] loss = new double[batch][t];
    double[][] clipped = new double[batch][t];
    double[][] halfSquaredLogRatio = new double[batch][t];
    double[][] negLogRatio = new double[batch][t];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < t; i++) {
        double logRatio = logprobs[b][i] - oldLogprobs[b][i];
        double r = Math.exp(Math.max(-LOG_RATIO_CLAMP, Math.min(LOG_RATIO_CLAMP, logRatio)));
        double a = advantages[b][i];
        double unclippedLoss = -a * r;
        double clippedLoss = -a * Math.max(1 - clipLow, Math.min(1 + clipHigh, r));
        double l = Math.max(unclippedLoss, clippedLoss);
        if (!Double.isNaN(dualClip) && a < 0) {
          l = Math.min(l, -dualClip * a);
        }
        ratio[b][i] = r;
        loss[b][i] = l * mask[b][i];
        clipped[b][i] = clippedLoss > unclippedLoss ? 1 : 0;
        halfSquaredLogRatio[b][i] = 0.5 * logRatio * logRatio;
        negLogRatio[b][i] = -logRatio;
      }
    }
    return new Result(ratio, loss, Rollouts.maskedMean(loss, mask), Rollouts.sequenceMean(loss, mask),
        Rollouts.maskedMean(clipped, mask), Rollouts.maskedMean(halfSquaredLogRatio, mask),
        Rollouts.maskedMean(negLogRatio, mask));
  }

  /**
   * The token-mean loss as a SameDiff scalar, differentiable with respect to {@code logprobs}: the training form
   * of {@link #compute}'s {@code tokenMeanLoss}. All inputs are {@code [B, T]} of one floating-point type;
   * {@code oldLogprobs}, {@code advantages} and {@code mask} are data (placeholders or constants).
   */
  public SDVariable loss(SameDiff sd, SDVariable logprobs, SDVariable oldLogprobs, SDVariable advantages,
      SDVariable mask) {
    Args.check(mask != null, "sd, logprobs, oldLogprobs, advantages and mask must not be null");
    return perToken(sd, logprobs, oldLogprobs, advantages).mul(mask).sum().div(mask.sum());
  }

  /**
   * The unmasked loss of every position, {@code [B, T]}, differentiable with respect to {@code logprobs}: what
   * {@link #loss} averages over the mask, for callers that weigh positions themselves (differentially private
   * PPO takes each example's own token mean). Inputs as for {@link #loss}.
   */
  public SDVariable perToken(SameDiff sd, SDVariable logprobs, SDVariable oldLogprobs, SDVariable advantages) {
    Args.check(sd != null && logprobs != null && oldLogprobs != null && advantages != null,
        "sd, logprobs, oldLogprobs, advantages and mask must not be null");
    SDVariable logRatio = sd.math.clipByValue(logprobs.sub(oldLogprobs), -LOG_RATIO_CLAMP, LOG_RATIO_CLAMP);
    SDVariable ratio = sd.math.exp(logRatio);
    SDVariable unclipped = advantages.neg().mul(ratio);
    SDVariable clipped = advantages.neg().mul(sd.math.clipByValue(ratio, 1 - clipLow, 1 + clipHigh));
    // max(u, c) as u + relu(c - u): SameDiff's max sends the gradient to both inputs when they tie, which they
    // do wherever the ratio is inside the clip range, doubling the gradient there.
    SDVariable loss = unclipped.add(sd.nn.relu(clipped.sub(unclipped), 0.0));
    if (!Double.isNaN(dualClip)) {
      // For A < 0: min(loss, -c·A) = loss - relu(loss + c·A).
      SDVariable negative = sd.lt(advantages, 0.0).castTo(advantages.dataType());
      loss = loss.sub(sd.nn.relu(loss.add(advantages.mul(dualClip)), 0.0).mul(negative));
    }
    return loss;
  }

  /**
   * The policy loss and its statistics.
   *
   * @param ratio {@code [B][T]} probability ratios
   * @param perTokenLoss {@code [B][T]} losses, 0 on padding
   * @param tokenMeanLoss mean over all response tokens of the batch (token-level aggregation)
   * @param sequenceMeanLoss mean over sequences of each sequence's token mean
   * @param clipFraction fraction of response tokens where the clipped term is the larger (TRL's
   *     {@code clipfrac})
   * @param approxKl {@code mean(½(logp - logp_old)²)} over response tokens (TRL's {@code approxkl})
   * @param policyKl {@code mean(logp_old - logp)} over response tokens (a k1 estimate of KL(old || new))
   */
  public record Result(double[][] ratio, double[][] perTokenLoss, double tokenMeanLoss, double sequenceMeanLoss,
      double clipFraction, double approxKl, double policyKl) {}
}
