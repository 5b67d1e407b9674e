package org.align4j.examples.study;

/**
 * One measurement of a policy optimised against a proxy reward.
 *
 * @param step the PPO iteration (0 = the SFT policy) or the n of best-of-n
 * @param kl KL divergence (nats) from the SFT policy: PPO's sampled estimate, or {@code log n - (n-1)/n}
 * @param sqrtKl the square root of {@code max(kl, 0)}, the x axis of Gao et al.'s best-of-n fits
 * @param proxy mean proxy reward (normalised to mean 0, standard deviation 1 on SFT samples)
 * @param gold mean gold reward
 */
public record OveroptimizationPoint(int step, double kl, double sqrtKl, double proxy, double gold) {

  /** A point with {@code sqrtKl} computed from {@code kl}. */
  static OveroptimizationPoint of(int step, double kl, double proxy, double gold) {
    return new OveroptimizationPoint(step, kl, Math.sqrt(Math.max(0, kl)), proxy, gold);
  }
}
