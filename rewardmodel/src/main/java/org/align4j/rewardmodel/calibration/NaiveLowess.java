package org.align4j.rewardmodel.calibration;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The straightforward O(n * k) LOWESS: every fit sums over its k-point window one point at a time, as statsmodels
 * does. Same semantics as {@link Lowess} (including the degenerate cases it documents); it serves as the baseline
 * in the benchmarks and as the independent slow implementation in the tests.
 */
public final class NaiveLowess {

  private NaiveLowess() {}

  /** The fitted value of each point, in input order, with the settings of {@code config}. */
  public static double[] fit(Lowess config, double[] x, double[] y) {
    Lowess.checkInput(x, y);
    int n = x.length;
    Integer[] boxed = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(boxed, Comparator.comparingDouble(i -> x[i] + 0.0));
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = x[boxed[i]] + 0.0;
      ys[i] = y[boxed[i]];
    }
    int k = config.neighbours(n);
    double[] robustness = new double[n];
    Arrays.fill(robustness, 1.0);
    double[] fit = new double[n];
    for (int pass = 0; pass <= config.iterations(); pass++) {
      onePass(xs, ys, robustness, k, config.delta(), fit);
      if (pass == config.iterations()) {
        break;
      }
      double[] residuals = new double[n];
      double sum = 0;
      for (int j = 0; j < n; j++) {
        residuals[j] = Math.abs(ys[j] - fit[j]);
        sum += residuals[j];
      }
      double[] sorted = residuals.clone();
      Arrays.sort(sorted);
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
      if (Lowess.residualsNegligible(median, sum / n)) {
        break;
      }
      robustness = Lowess.bisquareWeights(residuals, 6.0 * median);
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[boxed[i]] = fit[i];
    }
    return out;
  }

  private static void onePass(double[] x, double[] y, double[] rw, int k, double delta, double[] fit) {
    int n = x.length;
    int left = 0;
    int i = 0;
    int last = -1;
    while (true) {
      double xval = x[i];
      while (left + k < n && xval > (x[left] + x[left + k]) / 2.0) {
        left++;
      }
      double radius = Math.max(xval - x[left], x[left + k - 1] - xval);
      fit[i] = radius > 0 ? localFit(x, y, rw, left, left + k, xval, radius, i) : tieMean(x, y, rw, i);
      if (last < i - 1) {
        double denominator = x[i] - x[last];
        for (int j = last + 1; j < i; j++) {
          double a = (x[j] - x[last]) / denominator;
          fit[j] = a * fit[i] + (1.0 - a) * fit[last];
        }
      }
      last = i;
      double cut = x[i] + delta;
      int scan = last;
      for (int j = last + 1; j < n; j++) {
        scan = j;
        if (x[j] > cut) {
          break;
        }
        if (x[j] == x[last]) {
          fit[j] = fit[last];
          last = j;
        }
      }
      if (last >= n - 1) {
        return;
      }
      i = Math.max(scan - 1, last + 1);
    }
  }

  private static double localFit(
      double[] x, double[] y, double[] rw, int from, int to, double xval, double radius, int i) {
    double[] w = new double[to - from];
    double sum = 0;
    int positive = 0;
    for (int j = from; j < to; j++) {
      double d = Math.abs(x[j] - xval) / radius;
      double c = 1.0 - d * d * d;
      w[j - from] = d < 1 ? c * c * c * rw[j] : 0.0;
      sum += w[j - from];
      if (Math.abs(x[j] - xval) < radius && rw[j] > 0) {
        positive++;
      }
    }
    if (positive < 2 || !(sum > 0)) {
      return tieMean(x, y, rw, i);
    }
    double mean = 0;
    for (int j = from; j < to; j++) {
      w[j - from] /= sum;
      mean += w[j - from] * x[j];
    }
    double variance = 0;
    for (int j = from; j < to; j++) {
      variance += w[j - from] * (x[j] - mean) * (x[j] - mean);
    }
    variance = Math.max(variance, 1e-12);
    double value = 0;
    for (int j = from; j < to; j++) {
      value += w[j - from] * (1.0 + (xval - mean) * (x[j] - mean) / variance) * y[j];
    }
    return value;
  }

  /** The robustness-weighted mean of y over the points tied with point i (plain mean if all weights are 0). */
  private static double tieMean(double[] x, double[] y, double[] rw, int i) {
    double w = 0;
    double wy = 0;
    double plain = 0;
    int count = 0;
    for (int j = 0; j < x.length; j++) {
      if (x[j] == x[i]) {
        w += rw[j];
        wy += rw[j] * y[j];
        plain += y[j];
        count++;
      }
    }
    return w > 0 ? wy / w : plain / count;
  }
}
