package org.align4j.optimizers.rl;

import org.align4j.core.util.Args;

/** The entropy of the policy's next-token distribution from its logits, computed stably (log-sum-exp). */
public final class Entropy {

  private Entropy() {}

  /**
   * Per-token entropy {@code H = logsumexp(z) - Σ softmax(z)·z}.
   *
   * @param logits {@code [B][T][V]}
   * @return {@code [B][T]}
   */
  public static double[][] perToken(double[][][] logits) {
    Args.check(logits != null && logits.length > 0, "empty rollout: logits has no rows");
    double[][] out = new double[logits.length][];
    for (int b = 0; b < logits.length; b++) {
      Args.check(logits[b] != null && logits[b].length > 0, "empty rollout: logits[%s] has no tokens", b);
      out[b] = new double[logits[b].length];
      for (int i = 0; i < logits[b].length; i++) {
        out[b][i] = entropy(logits[b][i], b, i);
      }
    }
    return out;
  }

  /** The mean per-token entropy over response tokens. */
  public static double maskedMean(double[][][] logits, double[][] mask) {
    double[][] h = perToken(logits);
    Rollouts.checkMask(mask, "logits", h);
    return Rollouts.maskedMean(h, mask);
  }

  private static double entropy(double[] z, int b, int i) {
    Args.check(z != null && z.length > 0, "logits[%s][%s] is empty", b, i);
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < z.length; v++) {
      if (!Double.isFinite(z[v])) {
        Args.finite("logits[" + b + "][" + i + "][" + v + "]", z[v]);
      }
      max = Math.max(max, z[v]);
    }
    double sum = 0;
    double weighted = 0;
    for (double x : z) {
      double e = Math.exp(x - max);
      sum += e;
      weighted += e * (x - max);
    }
    return Math.log(sum) - weighted / sum;
  }
}
