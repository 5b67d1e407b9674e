package org.align4j.rewardmodel.calibration;

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

  /**
   * Groups finite x values ({@code -0.0} counts as {@code 0.0}). The points are ordered by a least-significant-
   * digit radix sort of the order-preserving bit patterns of x (11-bit digits, a digit shared by every point
   * skipped): a fixed number of plain loops over primitive arrays, which a freshly started JVM runs fast, where a
   * comparison sort followed by a binary search per point spends most of a single call in the interpreter.
   */
  static SortedGroups of(double[] x) {
    int n = x.length;
    int[] order = radixOrder(x);
    double[] sorted = new double[n];
    int distinct = 0;
    for (int p = 0; p < n; p++) {
      sorted[p] = x[order[p]] + 0.0;
      if (p == 0 || sorted[p] != sorted[p - 1]) {
        distinct++;
      }
    }
    // all distinct (continuous x): the values are the sorted x, shared (both are read-only)
    double[] values = distinct == n ? sorted : new double[distinct];
    int[] counts = new int[distinct];
    int[] groupOf = new int[n];
    int g = -1;
    for (int p = 0; p < n; p++) {
      if (p == 0 || sorted[p] != sorted[p - 1]) {
        values[++g] = sorted[p];
      }
      counts[g]++;
      groupOf[order[p]] = g;
    }
    return new SortedGroups(sorted, values, counts, groupOf);
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
