package org.align4j.optimizers.rl;

import org.align4j.core.util.Args;

/**
 * Shape and value checks and masked reductions over {@code [B][T]} rollout arrays (the checks are internal; the
 * masked mean is shared with the PPO trainer).
 */
public final class Rollouts {

  private Rollouts() {}

  /** Requires a non-empty rectangular batch of finite values; returns T. */
  static int checkBatch(String name, double[][] x) {
    Args.check(x != null, "%s must not be null", name);
    Args.check(x.length > 0, "empty rollout: %s has no rows", name);
    Args.check(x[0] != null && x[0].length > 0, "empty rollout: %s[0] has no tokens", name);
    int t = x[0].length;
    for (int b = 0; b < x.length; b++) {
      Args.check(x[b] != null && x[b].length == t, "%s[%s] has length %s, expected %s", name, b,
          (x[b] == null ? 0 : x[b].length), t);
      for (int i = 0; i < t; i++) {
        if (!Double.isFinite(x[b][i])) {
          Args.finite(name + "[" + b + "][" + i + "]", x[b][i]);
        }
      }
    }
    return t;
  }

  /** Requires {@code x} to have the shape of {@code like}, with finite values. */
  static void checkSameShape(String name, double[][] x, String likeName, double[][] like) {
    Args.check(x != null, "%s must not be null", name);
    Args.check(x.length == like.length, "%s has %s rows, expected %s (the rows of %s)", name, x.length, like.length,
        likeName);
    for (int b = 0; b < x.length; b++) {
      Args.check(x[b] != null && x[b].length == like[b].length, "%s[%s] has length %s, expected %s (as %s)", name, b,
          (x[b] == null ? 0 : x[b].length), like[b].length, likeName);
      for (int i = 0; i < x[b].length; i++) {
        if (!Double.isFinite(x[b][i])) {
          Args.finite(name + "[" + b + "][" + i + "]", x[b][i]);
        }
      }
    }
  }

  /** Requires a 0/1 mask of the shape of {@code like} with at least one 1 in total. */
  static void checkMask(double[][] mask, String likeName, double[][] like) {
    checkSameShape("mask", mask, likeName, like);
    boolean any = false;
    for (int b = 0; b < mask.length; b++) {
      for (int i = 0; i < mask[b].length; i++) {
        double m = mask[b][i];
        if (m != 0 && m != 1) {
          throw new IllegalArgumentException("mask[" + b + "][" + i + "] must be 0 or 1, got " + m);
        }
        any |= m == 1;
      }
    }
    Args.check(any, "empty rollout: mask has no response tokens");
  }

  /** Requires a finite vector of the given length. */
  static void checkVector(String name, double[] x, int length, String lengthOf) {
    Args.check(x != null, "%s must not be null", name);
    Args.check(x.length == length, "%s has length %s, expected %s (%s)", name, x.length, length, lengthOf);
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) {
        Args.finite(name + "[" + i + "]", x[i]);
      }
    }
  }

  /** Σ x·mask / Σ mask over the whole batch. */
  public static double maskedMean(double[][] x, double[][] mask) {
    double sum = 0;
    double count = 0;
    for (int b = 0; b < x.length; b++) {
      for (int i = 0; i < x[b].length; i++) {
        sum += x[b][i] * mask[b][i];
        count += mask[b][i];
      }
    }
    return sum / count;
  }

  /** The mean over rows of each row's masked mean (rows without tokens are skipped). */
  static double sequenceMean(double[][] x, double[][] mask) {
    double total = 0;
    int rows = 0;
    for (int b = 0; b < x.length; b++) {
      double sum = 0;
      double count = 0;
      for (int i = 0; i < x[b].length; i++) {
        sum += x[b][i] * mask[b][i];
        count += mask[b][i];
      }
      if (count > 0) {
        total += sum / count;
        rows++;
      }
    }
    return total / rows;
  }
}
