package org.align4j.rewardmodel.train;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Spearman's rank correlation for tests (average ranks for ties, then Pearson's correlation of the ranks), written
 * the slow obvious way.
 */
final class TestSpearman {

  private TestSpearman() {}

  static double correlation(double[] x, double[] y) {
    return pearson(ranks(x), ranks(y));
  }

  static double[] ranks(double[] v) {
    Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
    double[] ranks = new double[v.length];
    int i = 0;
    while (i < v.length) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = rank;
      }
      i = j + 1;
    }
    return ranks;
  }

  static double pearson(double[] x, double[] y) {
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
    return sxy / Math.sqrt(sxx * syy);
  }
}
