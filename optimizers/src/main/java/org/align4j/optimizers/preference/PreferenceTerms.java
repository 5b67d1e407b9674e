package org.align4j.optimizers.preference;

/**
 * Per-pair intermediate quantities of the DPO family (float64), useful for logging and debugging.
 *
 * @param chosenLogRatios {@code cl = pc - rc}
 * @param rejectedLogRatios {@code rl = pr - rr}
 * @param delta {@code Δ = cl - rl}
 * @param lengthNormalizedDelta {@code cl/Lc - rl/Lr}, counts clamped to at least 1 (IPO's and SIGMOID_NORM's)
 * @param chosenRewards implicit rewards {@code β cl}
 * @param rejectedRewards implicit rewards {@code β rl}
 */
public record PreferenceTerms(
    double[] chosenLogRatios,
    double[] rejectedLogRatios,
    double[] delta,
    double[] lengthNormalizedDelta,
    double[] chosenRewards,
    double[] rejectedRewards) {}
