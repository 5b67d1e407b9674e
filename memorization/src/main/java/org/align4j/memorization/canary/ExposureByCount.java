package org.align4j.memorization.canary;

/**
 * Exposure summarised over the canaries inserted the same number of times.
 *
 * @param insertions the insertion count (0 for reference canaries)
 * @param canaries number of canaries with that count
 * @param meanExposure mean exposure in bits
 * @param minExposure smallest exposure
 * @param maxExposure largest exposure
 */
public record ExposureByCount(int insertions, int canaries, double meanExposure, double minExposure,
    double maxExposure) {}
