package org.align4j.optimizers.rl;

import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * Per-token RLHF rewards: a KL penalty on every response token, {@code r_t = -klCoef · kl_t}, plus the sequence
 * score on the last response token (the convention of OpenRLHF and TRL v0.11; TRL's PPOv2 puts it one slot later,
 * on the first padding position). A response that did not end with EOS can have a penalty subtracted from its
 * score ({@code missing_eos_penalty}). Each per-token KL estimate is clamped to {@code [-klClamp, klClamp]}
 * (OpenRLHF clamps to ±10, the default here), which keeps k3 finite when a log-ratio is extreme. Immutable.
 */
public final class TokenRewards {

  private final double klCoef;
  private final KlEstimator estimator;
  private final double missingEosPenalty;
  private final double klClamp;

  private TokenRewards(Builder b) {
    this.klCoef = b.klCoef;
    this.estimator = b.estimator;
    this.missingEosPenalty = b.missingEosPenalty;
    this.klClamp = b.klClamp;
  }

  /**
   * A builder: KL coefficient 0.05, estimator k1, no missing-EOS penalty (TRL's PPO defaults), KL clamp 10
   * (OpenRLHF's).
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Token rewards for responses that all ended with EOS (or when no penalty applies).
   *
   * @param logprobs {@code [B][T]} policy log-probabilities of the sampled tokens
   * @param refLogprobs {@code [B][T]} reference log-probabilities
   * @param mask {@code [B][T]}, 1 on response tokens; every row needs at least one
   * @param scores {@code [B]} sequence scores from the reward model
   */
  public Result compute(double[][] logprobs, double[][] refLogprobs, double[][] mask, double[] scores) {
    return compute(logprobs, refLogprobs, mask, scores, null);
  }

  /**
   * Token rewards with the missing-EOS penalty applied to rows whose {@code endedWithEos} is false.
   *
   * @param endedWithEos {@code [B]}, or null when every response ended with EOS
   */
  public Result compute(double[][] logprobs, double[][] refLogprobs, double[][] mask, double[] scores,
      boolean[] endedWithEos) {
    int t = Rollouts.checkBatch("logprobs", logprobs);
    Rollouts.checkSameShape("refLogprobs", refLogprobs, "logprobs", logprobs);
    Rollouts.checkMask(mask, "logprobs", logprobs);
    int batch = logprobs.length;
    Rollouts.checkVector("scores", scores, batch, "the rows of logprobs");
    Args.check(endedWithEos == null || endedWithEos.length == batch, "endedWithEos has length %s, expected %s",
        (endedWithEos == null ? 0 : endedWithEos.length), batch);
    double[][] kl = new double[batch][t];
    double[][] rewards = new double[batch][t];
    double klSum = 0;
    for (int b = 0; b < batch; b++) {
      int last = -1;
      for (int i = 0; i < t; i++) {
        double estimate = estimator.perToken(logprobs[b][i], refLogprobs[b][i]);
        kl[b][i] = Math.max(-klClamp, Math.min(klClamp, estimate)) * mask[b][i];
        rewards[b][i] = -klCoef * kl[b][i];
        klSum += kl[b][i];
        if (mask[b][i] == 1) {
          last = i;
        }
      }
      Args.check(last >= 0, "empty rollout: row %s of mask has no response tokens", b);
      boolean penalised = endedWithEos != null && !endedWithEos[b];
      rewards[b][last] += scores[b] - (penalised ? missingEosPenalty : 0.0);
    }
    return new Result(kl, rewards, klSum / batch);
  }

  /** The KL coefficient. */
  public double klCoef() {
    return klCoef;
  }

  /** The per-token KL estimator. */
  public KlEstimator estimator() {
    return estimator;
  }

  /** The penalty subtracted from the score of a response without EOS. */
  public double missingEosPenalty() {
    return missingEosPenalty;
  }

  /** The bound on each per-token KL estimate's magnitude. */
  public double klClamp() {
    return klClamp;
  }

  /**
   * Token rewards and the KL they were made from.
   *
   * @param kl {@code [B][T]} per-token KL estimates, 0 on padding
   * @param rewards {@code [B][T]} token rewards, 0 on padding
   * @param meanSequenceKl the batch mean of each sequence's summed KL (TRL's {@code objective/kl})
   */
  public record Result(double[][] kl, double[][] rewards, double meanSequenceKl) {}

  /** Builds a validated {@link TokenRewards}. */
  public static final class Builder {
    private double klCoef = 0.05;
    private KlEstimator estimator = KlEstimator.K1;
    private double missingEosPenalty = 0.0;
    private double klClamp = 10.0;

    private Builder() {}

    /** The KL coefficient, >= 0 (default 0.05). */
    public Builder klCoef(double klCoef) {
      this.klCoef = klCoef;
      return this;
    }

    /** The per-token KL estimator (default k1). */
    public Builder estimator(KlEstimator estimator) {
      this.estimator = Objects.requireNonNull(estimator, "estimator");
      return this;
    }

    /** The score penalty for a response that did not end with EOS, >= 0 (default 0: none). */
    public Builder missingEosPenalty(double missingEosPenalty) {
      this.missingEosPenalty = missingEosPenalty;
      return this;
    }

    /** The bound on each per-token KL estimate's magnitude, > 0 (default 10, as OpenRLHF). */
    public Builder klClamp(double klClamp) {
      this.klClamp = klClamp;
      return this;
    }

    /** Validates and builds. */
    public TokenRewards build() {
      Args.finite("klCoef", Args.nonNegative("klCoef", klCoef));
      Args.finite("missingEosPenalty", Args.nonNegative("missingEosPenalty", missingEosPenalty));
      Args.finite("klClamp", Args.positive("klClamp", klClamp));
      return new TokenRewards(this);
    }
  }
}
