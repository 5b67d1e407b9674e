package org.align4j.rewardmodel.eval;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.align4j.core.util.Args;

/** Rank correlation. */
public final class Correlation {

  private Correlation() {}

  /**
   * Spearman's rank correlation: Pearson's correlation of the ranks, ties given their average rank (as
   * scipy's {@code spearmanr}). NaN when either array is constant.
   *
   * @throws IllegalArgumentException when the arrays differ in length, hold fewer than 2 values or a NaN
   */
  public static double spearman(double[] a, double[] b) {
    Args.check(a.length == b.length, "arrays must have the same length, got %s and %s", a.length, b.length);
    Args.check(a.length >= 2, "correlation needs at least 2 values, got %s", a.length);
    return pearson(ranks(a, "a"), ranks(b, "b"));
  }

  /** The average ranks (1-based) of the values. */
  static double[] ranks(double[] values, String name) {
    int n = values.length;
    for (int i = 0; i < n; i++) {
      Args.check(!Double.isNaN(values[i]), "%s[%s] must not be NaN", name, i);
    }
    int[] order = IntStream.range(0, n).boxed()
        .sorted((i, j) -> Double.compare(values[i] + 0.0, values[j] + 0.0))
        .mapToInt(Integer::intValue).toArray();
    double[] ranks = new double[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1.0;
      for (int t = i; t <= j; t++) {
        ranks[order[t]] = rank;
      }
      i = j + 1;
    }
    return ranks;
  }

  private static double pearson(double[] x, double[] y) {
    double mx = Arrays.stream(x).average().orElseThrow();
    double my = Arrays.stream(y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx == 0 || syy == 0) {
      return Double.NaN;
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
