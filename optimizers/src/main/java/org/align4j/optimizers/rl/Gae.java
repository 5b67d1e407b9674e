package org.align4j.optimizers.rl;

import org.align4j.core.util.Args;

/**
 * Generalised advantage estimation (Schulman et al. 2016): {@code δ_t = r_t + γ V_{t+1} - V_t},
 * {@code A_t = δ_t + γλ A_{t+1}}, returns {@code A + V}. Two conventions: episodes cut by {@code dones} with a
 * bootstrap value after the last step, and RLHF's masked, right-padded batches (TRL, OpenRLHF) where rewards and
 * values count only on response tokens and {@code V_T = 0}. Immutable.
 */
public final class Gae {

  private final double gamma;
  private final double lambda;

  private Gae(double gamma, double lambda) {
    this.gamma = gamma;
    this.lambda = lambda;
  }

  /**
   * A GAE with discount {@code gamma} and trace decay {@code lambda}, both in [0, 1] (RLHF: 1 and 0.95).
   *
   * @throws IllegalArgumentException naming the parameter when out of range
   */
  public static Gae of(double gamma, double lambda) {
    return new Gae(Args.inClosed("gamma", gamma, 0, 1), Args.inClosed("lambda", lambda, 0, 1));
  }

  /** The discount γ. */
  public double gamma() {
    return gamma;
  }

  /** The trace decay λ. */
  public double lambda() {
    return lambda;
  }

  /**
   * GAE over trajectories cut by episode ends: {@code dones[b][t] = 1} stops both the bootstrap from and the
   * accumulation across step {@code t + 1}.
   *
   * @param rewards {@code [B][T]}
   * @param values {@code [B][T]} value estimates
   * @param dones {@code [B][T]} 0 or 1
   * @param lastValues {@code [B]} the value of the state after the last step (bootstrap)
   */
  public Advantages compute(double[][] rewards, double[][] values, double[][] dones, double[] lastValues) {
    int t = Rollouts.checkBatch("rewards", rewards);
    Rollouts.checkSameShape("values", values, "rewards", rewards);
    Rollouts.checkSameShape("dones", dones, "rewards", rewards);
    Rollouts.checkVector("lastValues", lastValues, rewards.length, "the rows of rewards");
    double[][] adv = new double[rewards.length][t];
    double[][] ret = new double[rewards.length][t];
    for (int b = 0; b < rewards.length; b++) {
      double nextValue = lastValues[b];
      double nextAdvantage = 0;
      for (int i = t - 1; i >= 0; i--) {
        double done = dones[b][i];
        if (done != 0 && done != 1) {
          throw new IllegalArgumentException("dones[" + b + "][" + i + "] must be 0 or 1, got " + done);
        }
        double notDone = 1 - done;
        double delta = rewards[b][i] + gamma * nextValue * notDone - values[b][i];
        nextAdvantage = delta + gamma * lambda * notDone * nextAdvantage;
        nextValue = values[b][i];
        adv[b][i] = nextAdvantage;
        ret[b][i] = nextAdvantage + values[b][i];
      }
    }
    return new Advantages(adv, ret);
  }

  /**
   * GAE over a right-padded RLHF batch: rewards and values count only where {@code mask} is 1, the value after
   * the last position is 0, and advantages and returns are 0 on padding.
   *
   * @param rewards {@code [B][T]} token rewards
   * @param values {@code [B][T]} value estimates (ignored on padding)
   * @param mask {@code [B][T]} 1 on response tokens, right-padded (ones then zeros)
   */
  public Advantages computeMasked(double[][] rewards, double[][] values, double[][] mask) {
    int t = Rollouts.checkBatch("rewards", rewards);
    Rollouts.checkSameShape("values", values, "rewards", rewards);
    Rollouts.checkMask(mask, "rewards", rewards);
    double[][] adv = new double[rewards.length][t];
    double[][] ret = new double[rewards.length][t];
    for (int b = 0; b < rewards.length; b++) {
      checkRightPadded(mask[b], b);
      maskedRow(rewards[b], values[b], mask[b], 0, t, adv[b], ret[b]);
    }
    return new Advantages(adv, ret);
  }

  /**
   * {@link #computeMasked(double[][], double[][], double[][])} over flat row-major {@code [batch * length]}
   * arrays into preallocated outputs: the allocation-free form for large batches. Inputs are not validated
   * beyond their lengths.
   */
  public void computeMasked(double[] rewards, double[] values, double[] mask, int batch, int length,
      double[] advantagesOut, double[] returnsOut) {
    Args.positive("batch", batch);
    Args.positive("length", length);
    int n = Math.multiplyExact(batch, length);
    Args.check(rewards.length == n && values.length == n && mask.length == n && advantagesOut.length == n
        && returnsOut.length == n, "flat arrays must all have length batch * length = %s", n);
    for (int b = 0; b < batch; b++) {
      maskedRow(rewards, values, mask, b * length, length, advantagesOut, returnsOut);
    }
  }

  private void maskedRow(double[] r, double[] v, double[] m, int offset, int length, double[] adv, double[] ret) {
    double gl = gamma * lambda;
    double nextValue = 0;
    double nextAdvantage = 0;
    for (int i = offset + length - 1; i >= offset; i--) {
      double value = v[i] * m[i];
      nextAdvantage = r[i] * m[i] + gamma * nextValue - value + gl * nextAdvantage;
      nextValue = value;
      adv[i] = nextAdvantage;
      ret[i] = nextAdvantage + value;
    }
  }

  private static void checkRightPadded(double[] mask, int row) {
    for (int i = 1; i < mask.length; i++) {
      if (mask[i] > mask[i - 1]) {
        throw new IllegalArgumentException(
            "mask row " + row + " is not right-padded: a response token at " + i + " follows padding");
      }
    }
  }

  /**
   * Advantages and returns ({@code A + V}).
   *
   * @param advantages {@code [B][T]}
   * @param returns {@code [B][T]}
   */
  public record Advantages(double[][] advantages, double[][] returns) {}
}
