package org.align4j.examples.study;

import java.util.Map;
import java.util.Objects;
import org.align4j.memorization.stats.Proportion;

/**
 * The empirical memorization audit of one model on the SFT data: an empirical lower bound on what the model
 * leaks, beside the accountant's upper bound.
 *
 * @param model {@code sft} or {@code ppo}
 * @param memorized discoverable memorization (greedy continuation of the prefix within the distance threshold of the
 *     true suffix) over the unique SFT examples
 * @param pii among the SFT examples whose target holds their PII string, those whose continuation reproduced it
 * @param exposure mean canary exposure in bits by insertion count (0: reference canaries never inserted)
 * @param maxExposure {@code log2 |R|}, the largest exposure possible
 */
public record DpModelAudit(String model, Proportion memorized, Proportion pii, Map<Integer, Double> exposure,
    double maxExposure) {

  /** Validates and copies. */
  public DpModelAudit {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(memorized, "memorized");
    Objects.requireNonNull(pii, "pii");
    exposure = Map.copyOf(exposure);
  }
}
