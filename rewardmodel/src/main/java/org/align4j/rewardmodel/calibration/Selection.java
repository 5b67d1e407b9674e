package org.align4j.rewardmodel.calibration;

/** Order statistics in linear expected time. */
final class Selection {

  private Selection() {}

  /**
   * The median of {@code a} (the mean of the two middle values when the length is even, as numpy's), reordering
   * {@code a} in place.
   */
  static double median(double[] a) {
    int n = a.length;
    int mid = n / 2;
    double upper = select(a, mid);
    if (n % 2 == 1) {
      return upper;
    }
    double lower = a[0];
    for (int i = 1; i < mid; i++) {
      lower = Math.max(lower, a[i]);
    }
    return (lower + upper) / 2.0;
  }

  /**
   * Places the {@code rank}-th smallest value at {@code a[rank]} with no larger value before it and no smaller
   * after it, and returns it.
   */
  static double select(double[] a, int rank) {
    int lo = 0;
    int hi = a.length - 1;
    while (hi > lo) {
      int m = (lo + hi) >>> 1;
      double pivot = medianOfThree(a[lo], a[m], a[hi]);
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          double t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      if (rank <= j) {
        hi = j;
      } else if (rank >= i) {
        lo = i;
      } else {
        return a[rank];
      }
    }
    return a[rank];
  }

  private static double medianOfThree(double a, double b, double c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
