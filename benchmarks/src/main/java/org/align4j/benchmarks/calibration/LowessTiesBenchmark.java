package org.align4j.benchmarks.calibration;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.align4j.rewardmodel.calibration.Lowess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact LOWESS (delta 0, frac 0.9, 3 iterations) on 1,000,000 points with integer x taking up to 20,000 distinct
 * values: {@link Lowess} (grouped by distinct x, block moments) against the baseline that also fits once per
 * distinct x but sums over every group of the window one by one (O(distinct * window) per pass).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class LowessTiesBenchmark {

  @Param({"1000000"})
  int n;

  @Param({"20000"})
  int distinct;

  double[] x;
  double[] y;
  Lowess lowess;

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(42);
    x = new double[n];
    y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextInt(distinct);
      y[i] = 0.0004 * x[i] + Math.sin(x[i] / 3000.0) + random.nextGaussian();
    }
    lowess = Lowess.builder().frac(0.9).iterations(3).delta(0).build();
  }

  /** The contender. */
  @Benchmark
  public double[] lowess() {
    return lowess.fit(x, y).knotY();
  }

  /** The baseline: per distinct x, a loop over every group of the window. */
  @Benchmark
  public double[] groupedBaseline() {
    return GroupedBaseline.fit(x, y, 0.9, 3);
  }

  /** A plain grouped LOWESS: exact, once per distinct x, summing group by group. */
  static final class GroupedBaseline {

    private GroupedBaseline() {}

    static double[] fit(double[] x, double[] y, double frac, int iterations) {
      int n = x.length;
      double[] sorted = x.clone();
      Arrays.sort(sorted);
      double[] values = Arrays.stream(sorted).distinct().toArray();
      int g = values.length;
      int[] group = new int[n];
      for (int i = 0; i < n; i++) {
        group[i] = Arrays.binarySearch(values, x[i]);
      }
      int k = Math.max(2, Math.min(n, (int) (frac * n + 1e-10)));
      double[] rw = new double[n];
      Arrays.fill(rw, 1.0);
      double[] fits = new double[g];
      double[] w = new double[g];
      double[] wy = new double[g];
      for (int pass = 0; pass <= iterations; pass++) {
        Arrays.fill(w, 0);
        Arrays.fill(wy, 0);
        for (int i = 0; i < n; i++) {
          w[group[i]] += rw[i];
          wy[group[i]] += rw[i] * y[i];
        }
        int left = 0;
        int lo = 0;
        int hi = 0;
        for (int c = 0; c < g; c++) {
          double xv = values[c];
          while (left + k < n && xv > (sorted[left] + sorted[left + k]) / 2.0) {
            left++;
          }
          double r = Math.max(xv - sorted[left], sorted[left + k - 1] - xv);
          while (values[lo] <= xv - r) {
            lo++;
          }
          while (hi + 1 < g && values[hi + 1] < xv + r) {
            hi++;
          }
          double s0 = 0;
          double s1 = 0;
          double s2 = 0;
          double t0 = 0;
          double t1 = 0;
          for (int j = lo; j <= hi; j++) {
            double u = values[j] - xv;
            double d = Math.abs(u) / r;
            double t = 1 - d * d * d;
            double kw = t * t * t;
            double a = kw * w[j];
            double b = kw * wy[j];
            s0 += a;
            s1 += a * u;
            s2 += a * u * u;
            t0 += b;
            t1 += b * u;
          }
          double m = s1 / s0;
          double v = Math.max(s2 / s0 - m * m, 1e-12);
          fits[c] = t0 / s0 - m * (t1 / s0 - m * t0 / s0) / v;
        }
        if (pass == iterations) {
          break;
        }
        double[] res = new double[n];
        for (int i = 0; i < n; i++) {
          res[i] = Math.abs(y[i] - fits[group[i]]);
        }
        double[] s = res.clone();
        Arrays.sort(s);
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        for (int i = 0; i < n; i++) {
          double u = Math.min(res[i] / (6 * median), 1);
          rw[i] = (1 - u * u) * (1 - u * u);
        }
      }
      return fits;
    }
  }
}
