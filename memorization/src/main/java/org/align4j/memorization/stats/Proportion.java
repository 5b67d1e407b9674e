package org.align4j.memorization.stats;

import org.align4j.core.util.Args;

/**
 * A proportion {@code successes / trials} with its Wilson score 95% confidence interval (Wilson 1927), which
 * behaves well at rates near 0 and 1 and for few trials, unlike the normal approximation.
 *
 * @param successes number of successes, in [0, trials]
 * @param trials number of trials (0 gives rate 0 and the uninformative interval [0, 1])
 * @param rate {@code successes / trials}
 * @param lower lower end of the 95% interval
 * @param upper upper end of the 95% interval
 */
public record Proportion(long successes, long trials, double rate, double lower, double upper) {

  /** The 97.5% quantile of the standard normal distribution. */
  public static final double Z95 = 1.959963984540054;

  /** Validates. */
  public Proportion {
    Args.nonNegative("successes", successes);
    Args.nonNegative("trials", trials);
    Args.check(successes <= trials, "successes must be <= trials, got %s > %s", successes, trials);
    Args.inClosed("rate", rate, 0, 1);
    Args.inClosed("lower", lower, 0, 1);
    Args.inClosed("upper", upper, 0, 1);
  }

  /** The proportion with its Wilson score 95% interval. */
  public static Proportion wilson(long successes, long trials) {
    Args.nonNegative("successes", successes);
    Args.nonNegative("trials", trials);
    Args.check(successes <= trials, "successes must be <= trials, got %s > %s", successes, trials);
    if (trials == 0) {
      return new Proportion(0, 0, 0, 0, 1);
    }
    double n = trials;
    double p = successes / n;
    double z2 = Z95 * Z95;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    double lower = successes == 0 ? 0 : Math.max(0, centre - half);
    double upper = successes == trials ? 1 : Math.min(1, centre + half);
    return new Proportion(successes, trials, p, lower, upper);
  }
}
