package org.align4j.rewardmodel.pairs;

import org.align4j.core.util.Args;

/**
 * Best-of-n sampling: draw n responses, keep the one a reward scores highest. {@link #kl} is the KL divergence of
 * the best-of-n distribution from the sampling distribution, {@code log n - (n - 1) / n} nats (Stiennon et al.
 * 2020; Gao et al. 2022), exact for a reward without ties; it is the x axis on which best-of-n is compared with
 * RL in studies of reward over-optimisation.
 */
public final class BestOfN {

  private BestOfN() {}

  /**
   * {@code log n - (n - 1) / n}: the KL divergence (nats) of the best of {@code n} samples from one sample. 0 at
   * {@code n = 1}, increasing in n.
   *
   * @throws IllegalArgumentException when {@code n < 1}
   */
  public static double kl(int n) {
    Args.positive("n", n);
    return Math.log(n) - (n - 1.0) / n;
  }

  /**
   * The index of the highest of {@code scores[from .. from + n)} (the first on ties).
   *
   * @throws IllegalArgumentException when the range is empty or outside the array, or a score is NaN
   */
  public static int best(double[] scores, int from, int n) {
    Args.positive("n", n);
    Args.check(from >= 0 && from + n <= scores.length, "range [%s, %s) is outside the %s scores",
        from, from + n, scores.length);
    int best = from;
    for (int i = from; i < from + n; i++) {
      Args.check(!Double.isNaN(scores[i]), "score %s is NaN", i);
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }
}
