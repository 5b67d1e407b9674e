package org.align4j.memorization;

/** Derives independent seeds from a base seed and indices (SplitMix64 finalisation). */
final class Seeds {

  private Seeds() {}

  /** A seed for {@code (a, b)} under {@code seed}. */
  static long mix(long seed, long a, long b) {
    return finalize(finalize(finalize(seed) ^ a) ^ b);
  }

  private static long finalize(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
