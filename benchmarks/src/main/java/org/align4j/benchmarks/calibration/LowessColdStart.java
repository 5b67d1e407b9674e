package org.align4j.benchmarks.calibration;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.align4j.rewardmodel.calibration.Lowess;

/**
 * The first LOWESS fit of a fresh JVM, timed with {@code System.nanoTime} around one {@code fit} call (class
 * loading, the interpreter and compilation included; JVM start and data generation excluded). Run one fresh
 * {@code java} process per measurement ({@code benchmarks/lowess-cold.sh} runs many, alternating with another
 * build and with R's {@code lowess} on the same data). The data are {@link LowessColdStartBenchmark}'s: n points,
 * x uniform on [0, 100), y = sin(x / 10) + N(0, 0.5^2), seed 7, 3 iterations, {@code delta = 0.01 * range(x)}.
 *
 * <p>Usage: {@code LowessColdStart [n [frac]]} prints {@code ms=<wall milliseconds> cpu_ms=<CPU milliseconds of
 * all the JVM's threads, compilers included> sum=<sum of the fitted values>};
 * {@code LowessColdStart --write <file> [n]} writes the data as {@code x,y} lines (17 significant digits, exact
 * round trip) for R.
 */
public final class LowessColdStart {

  private LowessColdStart() {}

  /** Times one fit, or writes the data. */
  public static void main(String[] args) throws IOException {
    if (args.length > 0 && args[0].equals("--write")) {
      int n = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
      double[][] data = data(n);
      try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8))) {
        out.println("x,y");
        for (int i = 0; i < n; i++) {
          out.println(String.format("%.17g,%.17g", data[0][i], data[1][i]));
        }
      }
      return;
    }
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    double frac = args.length > 1 ? Double.parseDouble(args[1]) : 0.1;
    double[][] data = data(n);
    double[] x = data[0];
    double[] y = data[1];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    double delta = 0.01 * (hi - lo);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    double[] fitted = Lowess.builder().frac(frac).iterations(3).delta(delta).build().fit(x, y).fitted();
    long elapsed = System.nanoTime() - start;
    long cpu = os.getProcessCpuTime() - cpuStart;
    double sum = 0;
    for (double v : fitted) {
      sum += v;
    }
    System.out.println("ms=" + elapsed / 1e6 + " cpu_ms=" + cpu / 1e6 + " sum=" + sum);
  }

  /** The benchmark's data: x uniform on [0, 100), y = sin(x / 10) plus Gaussian noise of sd 0.5, seed 7. */
  static double[][] data(int n) {
    Random random = new Random(7);
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextDouble() * 100;
      y[i] = Math.sin(x[i] / 10) + random.nextGaussian() * 0.5;
    }
    return new double[][] {x, y};
  }
}
