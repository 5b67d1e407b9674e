package org.align4j.rewardmodel.calibration;

/**
 * One LOWESS pass over points grouped by distinct x. Each local regression needs five kernel-weighted sums over
 * the groups within the window radius r of x: of the weights, and of the weights times v, v^2, y and v y, where
 * v = |x_g - x| / r. Each side of x is split, as in a segment tree, into O(log G) aligned nodes of
 * {@code LEAF << level} consecutive groups plus fewer than {@code 2 * LEAF} groups summed one by one. A node's sum
 * uses its precomputed moments: the tricube kernel P(v) = (1 - v^3)^3 is a polynomial of degree 9, so with
 * v = a + s z (z the position within the node, scaled to [-1, 1]) its sum over a node is a dot product of the
 * Taylor coefficients of P at a with the node's moments of z. A node inside one side of the window has
 * {@code |a| + |s| <= 1}, so no term of the expansion exceeds the result's scale: the sums are as accurate as
 * direct ones. When the fits are few (a large {@code delta}), the tree is not built and each window is summed group
 * by group: fewer operations, and one short loop that a freshly started JVM compiles at once. Which x are fitted,
 * and their windows, come from {@link LowessWindows}.
 */
final class GroupSmoother {

  /** The kernel's degree plus the two extra powers for the v and v^2 sums, plus one. */
  private static final int W_MOMENTS = 12;
  private static final int Y_MOMENTS = 11;
  private static final double[] TRICUBE = {1, 0, 0, -3, 0, 0, 3, 0, 0, -1};
  private static final double MIN_VARIANCE = 1e-12;
  /** Groups per node at level 0. */
  private static final int LEAF = 16;
  /**
   * Windows are summed group by group, without the tree, while they hold at most this many groups per distinct x
   * in all (measured: at 10 and 67 per distinct x, n = 100,000, direct sums were faster, cold and warm).
   */
  private static final long DIRECT_FACTOR = 32;

  private final double[] gx;
  private final int[] counts;
  private final double[] sortedY;
  private final LowessWindows windows;
  private final int levels;
  private final int[] nodes;

  /**
   * One point per group and no tree: windows are summed over the points' own weights and y (no per-group copies,
   * so less fresh memory for a single call in a new JVM).
   */
  private final boolean pointwise;
  /** The robustness weights of the points in sorted order loaded last. */
  private double[] robustness;
  private final double[] weightSum;
  private final double[] weightedY;
  private final double[] plainY;
  private final int[] positivePrefix;
  private final double[][] momentsW;
  private final double[][] momentsY;
  private final double[][] nodeScale;
  private final double[][] nodeCentre;

  private final double[] coeffP = new double[10];
  private final double[] coeffVP = new double[11];
  private final double[] coeffVVP = new double[12];
  private final double[] scaledW = new double[W_MOMENTS];
  private final double[] scaledY = new double[Y_MOMENTS];
  private final double[] side = new double[5];
  private final DirectSums direct = new DirectSums();

  /** A smoother of {@code sortedY}, the responses in the order of {@code groups.order()}. */
  GroupSmoother(SortedGroups groups, LowessWindows windows, double[] sortedY) {
    this.gx = groups.values();
    this.counts = groups.counts();
    this.sortedY = sortedY;
    this.windows = windows;
    int g = gx.length;
    int depth = 0;
    // Few fits (a large delta): summing each window group by group costs less than the moments of every node.
    boolean direct = windows.groupsInWindows <= DIRECT_FACTOR * (long) g;
    while (!direct && (g / (LEAF << depth)) > 0 && depth < 30) {
      depth++;
    }
    this.levels = depth;
    this.nodes = new int[levels];
    this.momentsW = new double[levels][];
    this.momentsY = new double[levels][];
    this.nodeScale = new double[levels][];
    this.nodeCentre = new double[levels][];
    for (int level = 0; level < levels; level++) {
      int size = LEAF << level;
      nodes[level] = g / size;
      momentsW[level] = new double[nodes[level] * W_MOMENTS];
      momentsY[level] = new double[nodes[level] * Y_MOMENTS];
      nodeScale[level] = new double[nodes[level]];
      nodeCentre[level] = new double[nodes[level]];
      for (int b = 0; b < nodes[level]; b++) {
        double lo = gx[b * size];
        double hi = gx[(b + 1) * size - 1];
        nodeCentre[level][b] = lo + (hi - lo) / 2.0;
        nodeScale[level][b] = hi > lo ? (hi - lo) / 2.0 : 1.0;
      }
    }
    this.pointwise = levels == 0 && g == sortedY.length;
    this.weightSum = pointwise ? null : new double[g];
    this.weightedY = pointwise ? null : new double[g];
    this.positivePrefix = pointwise ? null : new int[g + 1];
    this.plainY = g == sortedY.length ? sortedY : groups.sums(sortedY);
  }

  /** Whether windows are summed group by group (no tree of moments). */
  boolean direct() {
    return levels == 0;
  }

  /**
   * Loads the per-group sums of the points weighted by {@code robustness} (in sorted order): one
   * pass in order, no scattered writes.
   */
  void load(double[] robustness) {
    this.robustness = robustness;
    if (pointwise) {
      return;
    }
    double[] y = sortedY;
    if (gx.length == y.length) {
      // one point per group
      for (int p = 0; p < y.length; p++) {
        double w = robustness[p];
        weightSum[p] = w;
        weightedY[p] = w * y[p];
        positivePrefix[p + 1] = positivePrefix[p] + (w > 0 ? 1 : 0);
      }
    } else {
      int p = 0;
      for (int g = 0; g < gx.length; g++) {
        double ws = 0;
        double wy = 0;
        int positive = 0;
        for (int end = p + counts[g]; p < end; p++) {
          double w = robustness[p];
          ws += w;
          wy += w * y[p];
          if (w > 0) {
            positive++;
          }
        }
        weightSum[g] = ws;
        weightedY[g] = wy;
        positivePrefix[g + 1] = positivePrefix[g] + positive;
      }
    }
    for (int level = 0; level < levels; level++) {
      java.util.Arrays.fill(momentsW[level], 0.0);
      java.util.Arrays.fill(momentsY[level], 0.0);
      for (int b = 0; b < nodes[level]; b++) {
        if (level == 0) {
          leafMoments(b);
        } else {
          childMoments(level, b, 2 * b);
          childMoments(level, b, 2 * b + 1);
        }
      }
    }
  }

  private void leafMoments(int b) {
    double[] mw = momentsW[0];
    double[] my = momentsY[0];
    int wBase = b * W_MOMENTS;
    int yBase = b * Y_MOMENTS;
    for (int g = b * LEAF; g < (b + 1) * LEAF; g++) {
      double z = (gx[g] - nodeCentre[0][b]) / nodeScale[0][b];
      double pw = weightSum[g];
      double py = weightedY[g];
      for (int q = 0; q < Y_MOMENTS; q++) {
        mw[wBase + q] += pw;
        my[yBase + q] += py;
        pw *= z;
        py *= z;
      }
      mw[wBase + Y_MOMENTS] += pw;
    }
  }

  /** Adds a child's moments to its parent's, re-centred: z_parent = alpha + beta * z_child, |alpha| + |beta| <= 1. */
  private void childMoments(int level, int parent, int child) {
    double alpha = (nodeCentre[level - 1][child] - nodeCentre[level][parent]) / nodeScale[level][parent];
    double beta = nodeScale[level - 1][child] / nodeScale[level][parent];
    shiftInto(momentsW[level - 1], child * W_MOMENTS, momentsW[level], parent * W_MOMENTS, W_MOMENTS, alpha, beta);
    shiftInto(momentsY[level - 1], child * Y_MOMENTS, momentsY[level], parent * Y_MOMENTS, Y_MOMENTS, alpha, beta);
  }

  private static void shiftInto(double[] from, int fromBase, double[] to, int toBase, int count, double alpha,
      double beta) {
    // sum (alpha + beta z)^q = sum_p C(q, p) alpha^(q - p) beta^p M_p, row by row of Pascal's triangle
    double[] scaled = new double[count];
    double power = 1.0;
    for (int p = 0; p < count; p++) {
      scaled[p] = power * from[fromBase + p];
      power *= beta;
    }
    double[] row = new double[count];
    for (int q = 0; q < count; q++) {
      // row[p] = C(q, p) alpha^(q - p), updated from row q - 1
      for (int p = q; p >= 0; p--) {
        row[p] = (p == q ? 1.0 : row[p] * alpha) + (p > 0 && p < q ? row[p - 1] : 0.0);
      }
      double sum = 0;
      for (int p = 0; p <= q; p++) {
        sum += row[p] * scaled[p];
      }
      to[toBase + q] += sum;
    }
  }

  /** Fits every distinct x of {@link #windows} and interpolates the others in between, into {@code fits}. */
  void smooth(double[] fits) {
    int previous = -1;
    for (int f = 0; f < windows.size; f++) {
      int i = windows.centre[f];
      fits[i] = fitAt(i, windows.radius[f], windows.first[f], windows.last[f]);
      if (previous >= 0 && previous < i - 1) {
        double denominator = gx[i] - gx[previous];
        for (int j = previous + 1; j < i; j++) {
          double a = (gx[j] - gx[previous]) / denominator;
          fits[j] = a * fits[i] + (1.0 - a) * fits[previous];
        }
      }
      previous = i;
    }
  }

  private double fitAt(int centre, double radius, int lo, int hi) {
    if (radius <= 0) {
      return groupMean(centre);
    }
    double xval = gx[centre];
    if (pointwise) {
      double[] sums = direct.sums;
      if (direct.points(gx, robustness, sortedY, lo, hi, xval, radius) < 2) {
        return groupMean(centre);
      }
      return line(sums[0], radius * sums[1], radius * radius * sums[2], sums[3], radius * sums[4], centre);
    }
    if (positivePrefix[hi + 1] - positivePrefix[lo] < 2) {
      return groupMean(centre);
    }
    double s0;
    double s1;
    double s2;
    double t0;
    double t1;
    if (levels == 0) {
      double[] sums = direct.sums;
      direct.groups(gx, weightSum, weightedY, lo, hi, xval, radius);
      s0 = sums[0];
      s1 = radius * sums[1];
      s2 = radius * radius * sums[2];
      t0 = sums[3];
      t1 = radius * sums[4];
    } else {
      s0 = weightSum[centre];
      t0 = weightedY[centre];
      sideSums(lo, centre - 1, xval, radius, false);
      double l1 = side[1];
      double l2 = side[2];
      double lt1 = side[4];
      s0 += side[0];
      t0 += side[3];
      sideSums(centre + 1, hi, xval, radius, true);
      s0 += side[0];
      t0 += side[3];
      s1 = radius * (side[1] - l1);
      s2 = radius * radius * (side[2] + l2);
      t1 = radius * (side[4] - lt1);
    }
    return line(s0, s1, s2, t0, t1, centre);
  }

  /** The weighted least-squares line at the window's centre from its sums (the group mean if they weigh 0). */
  private double line(double s0, double s1, double s2, double t0, double t1, int centre) {
    if (!(s0 > 0)) {
      return groupMean(centre);
    }
    double mean = s1 / s0;
    double yMean = t0 / s0;
    double variance = Math.max(s2 / s0 - mean * mean, MIN_VARIANCE);
    return yMean - mean * (t1 / s0 - mean * yMean) / variance;
  }

  private double groupMean(int g) {
    if (pointwise) {
      double w = robustness[g];
      return w > 0 ? w * sortedY[g] / w : sortedY[g];
    }
    return weightSum[g] > 0 ? weightedY[g] / weightSum[g] : plainY[g] / counts[g];
  }


  /** Fills {@link #side} with the sums over groups {@code from..to} (inclusive) on one side of xval. */
  private void sideSums(int from, int to, double xval, double radius, boolean right) {
    java.util.Arrays.fill(side, 0.0);
    int pos = from;
    while (pos <= to) {
      int level = 0;
      while (level < levels && pos % (LEAF << level) == 0 && pos + (LEAF << level) - 1 <= to
          && pos / (LEAF << level) < nodes[level]) {
        level++;
      }
      if (level > 0) {
        int size = LEAF << (level - 1);
        nodeSums(level - 1, pos / size, xval, radius, right);
        pos += size;
      } else {
        int end = Math.min(to, (pos / LEAF + 1) * LEAF - 1);
        elementwise(pos, end, xval, radius);
        pos = end + 1;
      }
    }
  }

  private void elementwise(int from, int to, double xval, double radius) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double t0 = 0;
    double t1 = 0;
    for (int g = from; g <= to; g++) {
      double v = Math.abs(gx[g] - xval) / radius;
      double c = 1.0 - v * v * v;
      double kernel = c * c * c;
      double w = kernel * weightSum[g];
      double wy = kernel * weightedY[g];
      s0 += w;
      s1 += w * v;
      s2 += w * v * v;
      t0 += wy;
      t1 += wy * v;
    }
    side[0] += s0;
    side[1] += s1;
    side[2] += s2;
    side[3] += t0;
    side[4] += t1;
  }

  private void nodeSums(int level, int b, double xval, double radius, boolean right) {
    double centre = nodeCentre[level][b];
    double a = right ? (centre - xval) / radius : (xval - centre) / radius;
    double s = (right ? nodeScale[level][b] : -nodeScale[level][b]) / radius;
    // Taylor coefficients of P(v) = (1 - v^3)^3 at a, by repeated synthetic division
    System.arraycopy(TRICUBE, 0, coeffP, 0, TRICUBE.length);
    int degree = TRICUBE.length - 1;
    for (int i = 0; i < degree; i++) {
      for (int j = degree - 1; j >= i; j--) {
        coeffP[j] += a * coeffP[j + 1];
      }
    }
    // (a + t) P(a + t) and (a + t)^2 P(a + t)
    coeffVP[0] = a * coeffP[0];
    for (int q = 1; q <= degree; q++) {
      coeffVP[q] = a * coeffP[q] + coeffP[q - 1];
    }
    coeffVP[degree + 1] = coeffP[degree];
    coeffVVP[0] = a * coeffVP[0];
    for (int q = 1; q <= degree + 1; q++) {
      coeffVVP[q] = a * coeffVP[q] + coeffVP[q - 1];
    }
    coeffVVP[degree + 2] = coeffVP[degree + 1];
    double[] mw = momentsW[level];
    double[] my = momentsY[level];
    int wBase = b * W_MOMENTS;
    int yBase = b * Y_MOMENTS;
    double power = 1.0;
    for (int q = 0; q < W_MOMENTS; q++) {
      scaledW[q] = power * mw[wBase + q];
      if (q < Y_MOMENTS) {
        scaledY[q] = power * my[yBase + q];
      }
      power *= s;
    }
    double s0 = 0;
    double t0 = 0;
    for (int q = 0; q <= degree; q++) {
      s0 += coeffP[q] * scaledW[q];
      t0 += coeffP[q] * scaledY[q];
    }
    double s1 = 0;
    double t1 = 0;
    for (int q = 0; q <= degree + 1; q++) {
      s1 += coeffVP[q] * scaledW[q];
      t1 += coeffVP[q] * scaledY[q];
    }
    double s2 = 0;
    for (int q = 0; q <= degree + 2; q++) {
      s2 += coeffVVP[q] * scaledW[q];
    }
    side[0] += s0;
    side[1] += s1;
    side[2] += s2;
    side[3] += t0;
    side[4] += t1;
  }
}
