package org.align4j.rewardmodel.calibration;

import java.util.Arrays;

/** Points grouped by distinct x: the sorted x of all points, the distinct values, counts and each point's group. */
final class SortedGroups {

  private final double[] sortedX;
  private final double[] values;
  private final int[] counts;
  private final int[] groupOf;

  private SortedGroups(double[] sortedX, double[] values, int[] counts, int[] groupOf) {
    this.sortedX = sortedX;
    this.values = values;
    this.counts = counts;
    this.groupOf = groupOf;
  }

  /** Groups finite x values ({@code -0.0} counts as {@code 0.0}). */
  static SortedGroups of(double[] x) {
    int n = x.length;
    double[] sorted = new double[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = x[i] + 0.0;
    }
    Arrays.sort(sorted);
    int distinct = 1;
    for (int i = 1; i < n; i++) {
      if (sorted[i] != sorted[i - 1]) {
        distinct++;
      }
    }
    double[] values = new double[distinct];
    int[] counts = new int[distinct];
    int g = 0;
    values[0] = sorted[0];
    for (int i = 0; i < n; i++) {
      if (sorted[i] != values[g]) {
        values[++g] = sorted[i];
      }
      counts[g]++;
    }
    int[] groupOf = new int[n];
    for (int i = 0; i < n; i++) {
      groupOf[i] = Arrays.binarySearch(values, x[i] + 0.0);
    }
    return new SortedGroups(sorted, values, counts, groupOf);
  }

  /** The x of all points, ascending. */
  double[] sortedX() {
    return sortedX;
  }

  /** The distinct x values, ascending. */
  double[] values() {
    return values;
  }

  /** The number of points at each distinct value. */
  int[] counts() {
    return counts;
  }

  /** The index of each input point's distinct value. */
  int[] groupOf() {
    return groupOf;
  }

  /** The number of distinct values. */
  int size() {
    return values.length;
  }
}
