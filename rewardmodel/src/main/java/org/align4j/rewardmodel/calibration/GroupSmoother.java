package org.align4j.rewardmodel.calibration;

/**
 * One LOWESS pass over points grouped by distinct x. Each local regression needs five kernel-weighted sums over
 * the groups within the window radius r of x: of the weights, and of the weights times v, v^2, y and v y, where
 * v = |x_g - x| / r. Groups near x and near the window's edges are summed one by one; the blocks of consecutive
 * groups in between use precomputed moments: the tricube kernel P(v) = (1 - v^3)^3 is a polynomial of degree 9, so
 * with v = a + s z (z the position within the block, scaled to [-1, 1]) its sum over a block is a dot product of
 * the Taylor coefficients of P at a with the block's moments of z. All sums stay in [0, 1]-scaled units, which
 * keeps the expansion well conditioned.
 */
final class GroupSmoother {

  /** The kernel's degree plus the two extra powers for the v and v^2 sums, plus one. */
  private static final int W_MOMENTS = 12;
  private static final int Y_MOMENTS = 11;
  private static final double[] TRICUBE = {1, 0, 0, -3, 0, 0, 3, 0, 0, -1};
  private static final double MIN_VARIANCE = 1e-12;

  private final double[] sortedX;
  private final double[] gx;
  private final int[] counts;
  private final int[] groupOf;
  private final int k;
  private final int blockSize;
  private final int blocks;

  private final double[] weightSum;
  private final double[] weightedY;
  private final double[] plainY;
  private final int[] positivePrefix;
  private final double[] blockMomentsW;
  private final double[] blockMomentsY;
  private final double[] blockScale;
  private final double[] blockCentre;

  private final double[] coeffP = new double[10];
  private final double[] coeffVP = new double[11];
  private final double[] coeffVVP = new double[12];
  private final double[] scaledW = new double[W_MOMENTS];
  private final double[] scaledY = new double[Y_MOMENTS];
  private final double[] side = new double[5];

  private int left;

  GroupSmoother(SortedGroups groups, int k, int blockSize) {
    this.sortedX = groups.sortedX();
    this.gx = groups.values();
    this.counts = groups.counts();
    this.groupOf = groups.groupOf();
    this.k = k;
    this.blockSize = blockSize;
    int g = gx.length;
    this.blocks = g / blockSize;
    this.weightSum = new double[g];
    this.weightedY = new double[g];
    this.plainY = new double[g];
    this.positivePrefix = new int[g + 1];
    this.blockMomentsW = new double[blocks * W_MOMENTS];
    this.blockMomentsY = new double[blocks * Y_MOMENTS];
    this.blockScale = new double[blocks];
    this.blockCentre = new double[blocks];
    for (int b = 0; b < blocks; b++) {
      double lo = gx[b * blockSize];
      double hi = gx[(b + 1) * blockSize - 1];
      blockCentre[b] = lo + (hi - lo) / 2.0;
      blockScale[b] = hi > lo ? (hi - lo) / 2.0 : 1.0;
    }
  }

  /** Loads the per-group sums of the points weighted by {@code robustness} (all 1 when null). */
  void load(double[] y, double[] robustness) {
    java.util.Arrays.fill(weightSum, 0.0);
    java.util.Arrays.fill(weightedY, 0.0);
    java.util.Arrays.fill(plainY, 0.0);
    int[] positive = new int[gx.length];
    for (int j = 0; j < y.length; j++) {
      int g = groupOf[j];
      double w = robustness == null ? 1.0 : robustness[j];
      weightSum[g] += w;
      weightedY[g] += w * y[j];
      plainY[g] += y[j];
      if (w > 0) {
        positive[g]++;
      }
    }
    for (int g = 0; g < gx.length; g++) {
      positivePrefix[g + 1] = positivePrefix[g] + positive[g];
    }
    for (int b = 0; b < blocks; b++) {
      int wBase = b * W_MOMENTS;
      int yBase = b * Y_MOMENTS;
      java.util.Arrays.fill(blockMomentsW, wBase, wBase + W_MOMENTS, 0.0);
      java.util.Arrays.fill(blockMomentsY, yBase, yBase + Y_MOMENTS, 0.0);
      for (int g = b * blockSize; g < (b + 1) * blockSize; g++) {
        double z = (gx[g] - blockCentre[b]) / blockScale[b];
        double pw = weightSum[g];
        double py = weightedY[g];
        for (int q = 0; q < W_MOMENTS; q++) {
          blockMomentsW[wBase + q] += pw;
          if (q < Y_MOMENTS) {
            blockMomentsY[yBase + q] += py;
          }
          pw *= z;
          py *= z;
        }
      }
    }
  }

  /** Fits every distinct x (or interpolates it, within {@code delta} of a fit) into {@code fits}. */
  void smooth(double delta, double[] fits) {
    int g = gx.length;
    left = 0;
    int i = 0;
    int last = -1;
    while (true) {
      fits[i] = fitAt(i);
      if (last >= 0 && last < i - 1) {
        double denominator = gx[i] - gx[last];
        for (int j = last + 1; j < i; j++) {
          double a = (gx[j] - gx[last]) / denominator;
          fits[j] = a * fits[i] + (1.0 - a) * fits[last];
        }
      }
      if (i == g - 1) {
        return;
      }
      last = i;
      double cut = gx[i] + delta;
      int next = i + 1;
      while (next < g && gx[next] <= cut) {
        next++;
      }
      if (next < g) {
        i = Math.max(next - 1, i + 1);
      } else {
        // statsmodels' scan ends on the last point, so its next fit is at the second-to-last point
        i = Math.max(counts[g - 1] >= 2 ? g - 1 : g - 2, i + 1);
      }
    }
  }

  private double fitAt(int centre) {
    double xval = gx[centre];
    int n = sortedX.length;
    while (left + k < n && xval > (sortedX[left] + sortedX[left + k]) / 2.0) {
      left++;
    }
    double radius = Math.max(xval - sortedX[left], sortedX[left + k - 1] - xval);
    if (radius <= 0) {
      return groupMean(centre);
    }
    int lo = firstWithin(centre, xval, radius);
    int hi = lastWithin(centre, xval, radius);
    if (positivePrefix[hi + 1] - positivePrefix[lo] < 2) {
      return groupMean(centre);
    }
    double s0 = weightSum[centre];
    double t0 = weightedY[centre];
    sideSums(lo, centre - 1, xval, radius, false);
    double l1 = side[1];
    double l2 = side[2];
    double lt1 = side[4];
    s0 += side[0];
    t0 += side[3];
    sideSums(centre + 1, hi, xval, radius, true);
    s0 += side[0];
    t0 += side[3];
    if (!(s0 > 0)) {
      return groupMean(centre);
    }
    double s1 = radius * (side[1] - l1);
    double s2 = radius * radius * (side[2] + l2);
    double t1 = radius * (side[4] - lt1);
    double mean = s1 / s0;
    double yMean = t0 / s0;
    double variance = Math.max(s2 / s0 - mean * mean, MIN_VARIANCE);
    return yMean - mean * (t1 / s0 - mean * yMean) / variance;
  }

  private double groupMean(int g) {
    return weightSum[g] > 0 ? weightedY[g] / weightSum[g] : plainY[g] / counts[g];
  }

  private int firstWithin(int centre, double xval, double radius) {
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

  private int lastWithin(int centre, double xval, double radius) {
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

  /** Fills {@link #side} with the sums over groups {@code from..to} (inclusive) on one side of xval. */
  private void sideSums(int from, int to, double xval, double radius, boolean right) {
    java.util.Arrays.fill(side, 0.0);
    if (from > to) {
      return;
    }
    int firstBlock = (from + blockSize - 1) / blockSize;
    int endBlock = Math.min((to + 1) / blockSize, blocks);
    if (firstBlock >= endBlock) {
      elementwise(from, to, xval, radius);
      return;
    }
    elementwise(from, firstBlock * blockSize - 1, xval, radius);
    for (int b = firstBlock; b < endBlock; b++) {
      blockSums(b, xval, radius, right);
    }
    elementwise(endBlock * blockSize, to, xval, radius);
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

  private void blockSums(int b, double xval, double radius, boolean right) {
    double a = right ? (blockCentre[b] - xval) / radius : (xval - blockCentre[b]) / radius;
    double s = (right ? blockScale[b] : -blockScale[b]) / radius;
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
    int wBase = b * W_MOMENTS;
    int yBase = b * Y_MOMENTS;
    double power = 1.0;
    for (int q = 0; q < W_MOMENTS; q++) {
      scaledW[q] = power * blockMomentsW[wBase + q];
      if (q < Y_MOMENTS) {
        scaledY[q] = power * blockMomentsY[yBase + q];
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
