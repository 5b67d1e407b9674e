package org.align4j.memorization.canary;

import java.util.Objects;

/**
 * The exposure of one canary (Carlini et al. 2019): {@code log2 |R| - log2 rank}, where R is the space of
 * candidate canaries of the same format and the rank (1-based) orders candidates by the model's
 * log-perplexity. A canary the model prefers to every other candidate has the maximal exposure {@code log2 |R|};
 * one ranked like a random candidate has exposure about 1.
 *
 * @param canaryId the canary's id
 * @param format the canary's format
 * @param text the canary's text
 * @param insertions how many times it was inserted into the training data (0 for reference canaries)
 * @param logPerplexity its log-perplexity under the model (summed negative log-likelihood of its secret, nats)
 * @param exposure its exposure in bits
 * @param log2Candidates {@code log2 |R|}
 * @param method how the rank was found: {@code "enumeration"} or {@code "skew-normal"}
 */
public record CanaryExposure(
    String canaryId, String format, String text, int insertions, double logPerplexity, double exposure,
    double log2Candidates, String method) {

  /** Validates. */
  public CanaryExposure {
    Objects.requireNonNull(canaryId, "canaryId");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(method, "method");
  }
}
