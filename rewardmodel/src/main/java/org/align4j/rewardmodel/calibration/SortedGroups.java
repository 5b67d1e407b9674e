package org.align4j.rewardmodel.calibration;

import java.util.Arrays;

/**
 * Points grouped by distinct x: the sorted x of all points, the order that sorts them, the distinct values and
 * their counts.
 */
final class SortedGroups {

  private final double[] sortedX;
  private final int[] order;
  private final double[] values;
  private final int[] counts;

  private SortedGroups(double[] sortedX, int[] order, double[] values, int[] counts) {
    this.sortedX = sortedX;
    this.order = order;
    this.values = values;
    this.counts = counts;
  }

  /**
   * Groups finite x values ({@code -0.0} counts as {@code 0.0}), ordered by {@link #bucketOrder} or, when the
   * values are too uneven for it, by {@link #radixOrder}: both are a few plain loops over primitive arrays, which a
   * freshly started JVM runs fast, where a comparison sort spends most of a single call in the interpreter.
   */
  static SortedGroups of(double[] x) {
    int n = x.length;
    double[] sorted = new double[n];
    int[] order = bucketOrder(x, sorted);
    if (order == null) {
      order = radixOrder(x);
      for (int p = 0; p < n; p++) {
        sorted[p] = x[order[p]] + 0.0;
      }
    }
    int distinct = 1;
    for (int p = 1; p < n; p++) {
      if (sorted[p] != sorted[p - 1]) {
        distinct++;
      }
    }
    if (distinct == n) {
      // all distinct (continuous x): the values are the sorted x, shared (both are read-only)
      int[] ones = new int[n];
      Arrays.fill(ones, 1);
      return new SortedGroups(sorted, order, sorted, ones);
    }
    double[] values = new double[distinct];
    int[] counts = new int[distinct];
    int g = -1;
    for (int p = 0; p < n; p++) {
      if (p == 0 || sorted[p] != sorted[p - 1]) {
        values[++g] = sorted[p];
      }
      counts[g]++;
    }
    return new SortedGroups(sorted, order, values, counts);
  }

  /** Insertion-sort moves allowed per point before {@link #bucketOrder} gives up. */
  private static final int MOVES_PER_POINT = 4;

  /**
   * The indices of {@code x} in ascending order of value ({@code -0.0} equal to {@code 0.0}), ties by index, with
   * the sorted values written to {@code sorted}; null when the values are too uneven. The points are placed in n
   * equal-width buckets over [min, max] (a monotone bucket index, so the buckets are in order), then one insertion
   * sort puts each bucket in order: O(n) for values spread like a density, and given up (null) once it has moved
   * more than {@code MOVES_PER_POINT * n} values (heavy tails, few distinct values in one bucket).
   */
  static int[] bucketOrder(double[] x, double[] sorted) {
    int n = x.length;
    double lo = x[0] + 0.0;
    double hi = lo;
    for (int i = 1; i < n; i++) {
      lo = Math.min(lo, x[i] + 0.0);
      hi = Math.max(hi, x[i] + 0.0);
    }
    double scale = n / (hi - lo);
    if (!(scale > 0 && scale < Double.MAX_VALUE)) {
      // all equal (hi == lo) or a range that overflows or underflows the bucket arithmetic
      return null;
    }
    int[] start = new int[n + 1];
    for (int i = 0; i < n; i++) {
      start[Math.min((int) ((x[i] + 0.0 - lo) * scale), n - 1) + 1]++;
    }
    for (int b = 0; b < n; b++) {
      start[b + 1] += start[b];
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      double v = x[i] + 0.0;
      int at = start[Math.min((int) ((v - lo) * scale), n - 1)]++;
      sorted[at] = v;
      order[at] = i;
    }
    long budget = (long) MOVES_PER_POINT * n;
    for (int p = 1; p < n; p++) {
      double v = sorted[p];
      if (v < sorted[p - 1]) {
        int index = order[p];
        int q = p;
        do {
          sorted[q] = sorted[q - 1];
          order[q] = order[q - 1];
          q--;
        } while (q > 0 && v < sorted[q - 1]);
        sorted[q] = v;
        order[q] = index;
        budget -= p - q;
        if (budget < 0) {
          return null;
        }
      }
    }
    return order;
  }

  private static final int DIGIT_BITS = 11;
  private static final int DIGITS = 6;
  private static final int RADIX = 1 << DIGIT_BITS;

  /** The indices of {@code x} in ascending order of value ({@code -0.0} equal to {@code 0.0}), ties by index. */
  static int[] radixOrder(double[] x) {
    int n = x.length;
    long[] keys = new long[n];
    int[] order = new int[n];
    int[] counts = new int[DIGITS * RADIX];
    for (int i = 0; i < n; i++) {
      long bits = Double.doubleToRawLongBits(x[i] + 0.0);
      // flip every bit of a negative value, only the sign bit of a positive one: unsigned order = numeric order
      long key = bits ^ ((bits >> 63) | Long.MIN_VALUE);
      keys[i] = key;
      order[i] = i;
      // the histograms of all six digits in one pass (unrolled: a nested loop would delay compilation)
      counts[(int) (key & (RADIX - 1))]++;
      counts[RADIX + (int) ((key >>> DIGIT_BITS) & (RADIX - 1))]++;
      counts[2 * RADIX + (int) ((key >>> (2 * DIGIT_BITS)) & (RADIX - 1))]++;
      counts[3 * RADIX + (int) ((key >>> (3 * DIGIT_BITS)) & (RADIX - 1))]++;
      counts[4 * RADIX + (int) ((key >>> (4 * DIGIT_BITS)) & (RADIX - 1))]++;
      counts[5 * RADIX + (int) (key >>> (5 * DIGIT_BITS))]++;
    }
    long[] keysTo = new long[n];
    int[] orderTo = new int[n];
    for (int d = 0; d < DIGITS; d++) {
      int base = d * RADIX;
      int shift = d * DIGIT_BITS;
      if (counts[base + (int) ((keys[0] >>> shift) & (RADIX - 1))] == n) {
        continue;
      }
      int sum = 0;
      for (int b = base; b < base + RADIX; b++) {
        int c = counts[b];
        counts[b] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        long key = keys[i];
        int at = counts[base + (int) ((key >>> shift) & (RADIX - 1))]++;
        keysTo[at] = key;
        orderTo[at] = order[i];
      }
      long[] k = keys;
      keys = keysTo;
      keysTo = k;
      int[] o = order;
      order = orderTo;
      orderTo = o;
    }
    return order;
  }

  /** The x of all points, ascending. */
  double[] sortedX() {
    return sortedX;
  }

  /** The input index of each point in ascending order of x (ties by index). */
  int[] order() {
    return order;
  }

  /** The distinct x values, ascending. */
  double[] values() {
    return values;
  }

  /** The number of points at each distinct value. */
  int[] counts() {
    return counts;
  }

  /** The index of each input point's distinct value (computed on each call). */
  int[] groupOf() {
    int[] groupOf = new int[order.length];
    int p = 0;
    for (int g = 0; g < counts.length; g++) {
      for (int c = 0; c < counts[g]; c++) {
        groupOf[order[p++]] = g;
      }
    }
    return groupOf;
  }

  /** The sum over each group of {@code values}, given in ascending order of x (as {@link #order()}). */
  double[] sums(double[] values) {
    double[] sums = new double[counts.length];
    int p = 0;
    for (int g = 0; g < sums.length; g++) {
      double sum = 0;
      for (int end = p + counts[g]; p < end; p++) {
        sum += values[p];
      }
      sums[g] = sum;
    }
    return sums;
  }

  /** The number of distinct values. */
  int size() {
    return values.length;
  }
}
