package org.align4j.optimizers.rl;

/**
 * Per-token estimators of {@code KL(π || π_ref)} from the sampled token's log-probabilities (Schulman's k1, k2,
 * k3), with {@code d = logp - ref_logp}.
 */
public enum KlEstimator {
  /** {@code d}: unbiased, can be negative. */
  K1,
  /** {@code d²/2}: biased, non-negative. */
  K2,
  /** {@code e^{-d} - 1 + d}: unbiased and non-negative (TRL's and GRPO's {@code k3}). */
  K3;

  /** The estimate for one token. */
  public double perToken(double logprob, double refLogprob) {
    double d = logprob - refLogprob;
    return switch (this) {
      case K1 -> d;
      case K2 -> 0.5 * d * d;
      case K3 -> Math.expm1(-d) + d;
    };
  }
}
