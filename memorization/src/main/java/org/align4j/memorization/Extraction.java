package org.align4j.memorization;

/**
 * Probabilistic extraction of one example: {@code samples} continuations sampled at the configured temperature,
 * of which {@code successes} reproduce the target within the threshold.
 *
 * @param samples number of samples n
 * @param successes samples within the threshold
 * @param perSampleProbability p = successes / n
 * @param probabilityAny {@code 1 - (1 - p)^n}, the chance that at least one of n samples reproduces the target
 */
public record Extraction(int samples, int successes, double perSampleProbability, double probabilityAny) {

  /** The extraction figures of {@code successes} out of {@code samples}. */
  public static Extraction of(int samples, int successes) {
    double p = (double) successes / samples;
    return new Extraction(samples, successes, p, -Math.expm1(samples * Math.log1p(-p)));
  }
}
