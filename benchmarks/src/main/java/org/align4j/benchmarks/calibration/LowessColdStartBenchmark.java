package org.align4j.benchmarks.calibration;

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
 * The first LOWESS fit of a freshly started JVM, as a user who calibrates one file per run sees it: every fork
 * builds the data, then times one {@code fit} (class loading, the interpreter and compilation included). The data
 * are {@link LowessContinuousBenchmark}'s: 100,000 points with continuous x, 3 iterations, R's default
 * {@code delta = 0.01 * range(x)}. Run with many forks ({@code -f 20}) and read the spread: one shot per fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 10, jvmArgsAppend = {"-Xmx2g"})
public class LowessColdStartBenchmark {

  @Param({"100000"})
  int n;

  @Param({"0.1", "0.6667"})
  double frac;

  double[] x;
  double[] y;
  double delta;

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(7);
    x = new double[n];
    y = new double[n];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      x[i] = random.nextDouble() * 100;
      y[i] = Math.sin(x[i] / 10) + random.nextGaussian() * 0.5;
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
    }
    delta = 0.01 * (hi - lo);
  }

  /** One fit, cold. */
  @Benchmark
  public double[] firstFit() {
    return Lowess.builder().frac(frac).iterations(3).delta(delta).build().fit(x, y).fitted();
  }
}
