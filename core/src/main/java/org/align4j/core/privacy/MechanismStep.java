package org.align4j.core.privacy;

import org.align4j.core.util.Args;

/**
 * One entry of a privacy history: {@code steps} applications of the Poisson-subsampled Gaussian mechanism with
 * noise multiplier {@code noiseMultiplier} (noise standard deviation over clipping norm) and sample rate
 * {@code sampleRate} (the probability that an example joins a batch).
 *
 * @param noiseMultiplier sigma, finite and {@code > 0}
 * @param sampleRate q, in {@code (0, 1]}
 * @param steps how many steps, {@code >= 0}
 */
public record MechanismStep(double noiseMultiplier, double sampleRate, long steps) {

  /** Validates the fields. */
  public MechanismStep {
    checkNoiseMultiplier(noiseMultiplier);
    checkSampleRate(sampleRate);
    Args.nonNegative("steps", steps);
  }

  /** Whether {@code other} has the same noise multiplier and sample rate (so the two can be merged). */
  public boolean sameMechanism(MechanismStep other) {
    return Double.compare(noiseMultiplier, other.noiseMultiplier) == 0
        && Double.compare(sampleRate, other.sampleRate) == 0;
  }

  /** This entry with {@code extra} more steps. */
  public MechanismStep plusSteps(long extra) {
    return new MechanismStep(noiseMultiplier, sampleRate, Math.addExact(steps, extra));
  }

  static double checkNoiseMultiplier(double noiseMultiplier) {
    Args.positive("noiseMultiplier", noiseMultiplier);
    return Args.finite("noiseMultiplier", noiseMultiplier);
  }

  static double checkSampleRate(double sampleRate) {
    return Args.inOpenClosed("sampleRate", sampleRate, 0, 1);
  }
}
