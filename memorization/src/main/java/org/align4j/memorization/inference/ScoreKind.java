package org.align4j.memorization.inference;

/** The membership-inference scores, each with the direction in which it points to membership. */
public enum ScoreKind {
  /** Mean negative log-likelihood per token (log-perplexity); members have lower loss. */
  LOSS(true),
  /** Loss divided by the zlib-compressed length of the text in bytes (Carlini et al. 2021); lower for members. */
  ZLIB_RATIO(true),
  /** Loss under the audited model minus loss under a reference model; lower (more negative) for members. */
  REFERENCE_DIFFERENCE(true),
  /** Mean of the lowest k% token log-probabilities (Shi et al. 2024); higher for members. */
  MIN_K_PROB(false);

  private final boolean lowerIsMember;

  ScoreKind(boolean lowerIsMember) {
    this.lowerIsMember = lowerIsMember;
  }

  /** Whether a lower raw score points to membership. */
  public boolean lowerIsMember() {
    return lowerIsMember;
  }

  /** The raw score oriented so that higher means "more likely a member". */
  public double oriented(double raw) {
    return lowerIsMember ? -raw : raw;
  }
}
