package org.align4j.rewardmodel.calibration;

import java.util.Arrays;

/**
 * Which distinct x a LOWESS pass fits and the window of each fit. Both depend on x, {@code k} and {@code delta}
 * only, never on y or the robustness weights, so they are found once for all passes: after a fit at group
 * {@code i}, the groups within {@code delta} of it are skipped (interpolated) and the next fit is at the last of
 * them, or at the next group when none is skipped (statsmodels' scan, which ends on the last point). The window of
 * a fit at x is the {@code k} points nearest x (the left end moves right while x is nearer the point {@code k} to
 * the right), its radius the larger distance to the window's ends, and its groups those strictly within the radius.
 */
final class LowessWindows {

  /** The fitted groups, ascending; the last is the last group. */
  final int[] centre;
  /** The radius of each fit's window; 0 when at least {@code k} points share the fitted x. */
  final double[] radius;
  /** The first group strictly within the radius (the centre when the radius is 0). */
  final int[] first;
  /** The last group strictly within the radius (the centre when the radius is 0). */
  final int[] last;
  /** The number of fits. */
  final int size;
  /** The number of groups summed over all windows: the cost of summing each window group by group. */
  final long groupsInWindows;

  private LowessWindows(int[] centre, double[] radius, int[] first, int[] last, int size, long groupsInWindows) {
    this.centre = centre;
    this.radius = radius;
    this.first = first;
    this.last = last;
    this.size = size;
    this.groupsInWindows = groupsInWindows;
  }

  /** The fits of a pass over {@code groups} with windows of {@code k} points. */
  static LowessWindows of(SortedGroups groups, int k, double delta) {
    double[] sortedX = groups.sortedX();
    double[] gx = groups.values();
    int[] counts = groups.counts();
    int g = gx.length;
    // grown as needed: a large delta leaves few fits, and fresh memory is slow to touch in a new JVM
    int capacity = Math.min(g, 64);
    int[] centre = new int[capacity];
    double[] radius = new double[capacity];
    int[] first = new int[capacity];
    int[] last = new int[capacity];
    int size = 0;
    long total = 0;
    int left = 0;
    int i = 0;
    while (true) {
      double xval = gx[i];
      left = windowStart(sortedX, k, xval, left);
      double r = Math.max(xval - sortedX[left], sortedX[left + k - 1] - xval);
      if (size == centre.length) {
        capacity = Math.min(g, 2 * capacity);
        centre = Arrays.copyOf(centre, capacity);
        radius = Arrays.copyOf(radius, capacity);
        first = Arrays.copyOf(first, capacity);
        last = Arrays.copyOf(last, capacity);
      }
      centre[size] = i;
      radius[size] = r;
      first[size] = r > 0 ? firstWithin(gx, i, r) : i;
      last[size] = r > 0 ? lastWithin(gx, i, r) : i;
      total += last[size] - first[size] + 1;
      size++;
      if (i == g - 1) {
        return new LowessWindows(centre, radius, first, last, size, total);
      }
      int next = firstAbove(gx, xval + delta, i + 1);
      if (next < g) {
        i = Math.max(next - 1, i + 1);
      } else {
        // statsmodels' scan ends on the last point, so its next fit is at the second-to-last point
        i = Math.max(counts[g - 1] >= 2 ? g - 1 : g - 2, i + 1);
      }
    }
  }

  /**
   * The start of the k-point window at {@code xval}: the first {@code l >= from} with {@code l + k == n} or
   * {@code xval <= (x[l] + x[l + k]) / 2} (the left end moves right while xval is nearer the point k to the right),
   * found by galloping from {@code from} (windows move right with x; a few steps per fit, not one per point).
   */
  static int windowStart(double[] sortedX, int k, double xval, int from) {
    int last = sortedX.length - k;
    if (from >= last || !(xval > (sortedX[from] + sortedX[from + k]) / 2.0)) {
      return from;
    }
    int lo = from;
    int step = 1;
    while (lo + step < last && xval > (sortedX[lo + step] + sortedX[lo + step + k]) / 2.0) {
      lo += step;
      step <<= 1;
    }
    int hi = Math.min(lo + step, last);
    while (hi - lo > 1) {
      int m = (lo + hi) >>> 1;
      if (xval > (sortedX[m] + sortedX[m + k]) / 2.0) {
        lo = m;
      } else {
        hi = m;
      }
    }
    return hi;
  }

  /** The first index {@code >= from} whose value exceeds {@code cut} ({@code gx.length} if none), by galloping. */
  static int firstAbove(double[] gx, double cut, int from) {
    int g = gx.length;
    if (from >= g || gx[from] > cut) {
      return from;
    }
    int lo = from;
    int step = 1;
    while (lo + step < g && gx[lo + step] <= cut) {
      lo += step;
      step <<= 1;
    }
    int hi = Math.min(lo + step, g);
    while (hi - lo > 1) {
      int m = (lo + hi) >>> 1;
      if (gx[m] <= cut) {
        lo = m;
      } else {
        hi = m;
      }
    }
    return hi;
  }

  private static int firstWithin(double[] gx, int centre, double radius) {
    double xval = gx[centre];
    int lo = 0;
    int hi = centre;
    while (lo < hi) {
      int m = (lo + hi) >>> 1;
      if (Math.abs(gx[m] - xval) < radius) {
        hi = m;
      } else {
        lo = m + 1;
      }
    }
    return lo;
  }

  private static int lastWithin(double[] gx, int centre, double radius) {
    double xval = gx[centre];
    int lo = centre;
    int hi = gx.length - 1;
    while (lo < hi) {
      int m = (lo + hi + 1) >>> 1;
      if (Math.abs(gx[m] - xval) < radius) {
        lo = m;
      } else {
        hi = m - 1;
      }
    }
    return lo;
  }
}
