package org.align4j.core.provenance;

import java.util.Objects;

/**
 * The differential-privacy guarantee of one private training stage (DP-SGD with the Poisson-subsampled Gaussian
 * mechanism): what its accountant composed and what it concluded.
 *
 * @param epsilon the stage's epsilon at {@code delta} (at least 0; infinite when no finite epsilon reaches it)
 * @param delta the delta, in (0, 1)
 * @param noiseMultiplier the noise multiplier of each step as the accountant composed it: sigma, or
 *     {@code sigma / sqrt(k)} when k updates share one sampled batch (PPO epochs)
 * @param samplingRate the probability q that a record joins a batch, in (0, 1]
 * @param steps the steps the accountant composed (sampled batches), at least 0
 * @param accountant the accountant's name ({@code "rdp"} or {@code "pld"})
 * @param unit what one record of the stage's data is
 */
public record PrivacySpent(
    double epsilon, double delta, double noiseMultiplier, double samplingRate, long steps, String accountant,
    PrivacyUnit unit) {

  /** Validates the fields. */
  public PrivacySpent {
    if (!(epsilon >= 0)) {
      throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
    }
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException("noiseMultiplier must be finite and > 0, got " + noiseMultiplier);
    }
    if (!(samplingRate > 0 && samplingRate <= 1)) {
      throw new IllegalArgumentException("samplingRate must be in (0, 1], got " + samplingRate);
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    Objects.requireNonNull(accountant, "accountant");
    if (accountant.isBlank()) {
      throw new IllegalArgumentException("accountant must not be blank");
    }
    Objects.requireNonNull(unit, "unit");
  }
}
