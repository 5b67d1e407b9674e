package org.align4j.benchmarks.privacy;

import java.util.concurrent.TimeUnit;
import org.align4j.core.privacy.RdpAccountant;
import org.apache.commons.math3.special.Erf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long does the RDP epsilon of one history entry take (151 Opacus orders, nothing cached)? Contender:
 * {@link RdpAccountant}. Baseline: the same series written the straightforward way, as Opacus does it in Python:
 * commons-math's erfc, binomial coefficients from log-gamma per term, and a log-add or log-subtract per term.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class RdpEpsilonBenchmark {

  /** sigma/q/steps: every {@code rdp} row of the reference dp_epsilon.csv (the MNIST example first). */
  @Param({"1.1/0.004266666666666667/14062", "1.0/0.01/10000", "1.1/0.1/100", "1.0/1.0/1", "0.5/1.0/1",
      "5.0/1.0/100"})
  public String entry;

  private double sigma;
  private double q;
  private long steps;

  /** Parses the entry. */
  @org.openjdk.jmh.annotations.Setup
  public void setUp() {
    String[] parts = entry.split("/");
    sigma = Double.parseDouble(parts[0]);
    q = Double.parseDouble(parts[1]);
    steps = Long.parseLong(parts[2]);
  }

  /** The library's accountant, fresh each time (no cached curve). */
  @Benchmark
  public double rdpAccountant() {
    return new RdpAccountant().add(sigma, q, steps).epsilon(1e-5);
  }

  /** The straightforward series. */
  @Benchmark
  public double straightforwardSeries() {
    double[] orders = RdpAccountant.defaultOrders();
    double logDelta = Math.log(1e-5);
    double best = Double.POSITIVE_INFINITY;
    for (double a : orders) {
      double rdp = steps * straightforwardLogA(q, sigma, a) / (a - 1);
      best = Math.min(best, rdp + Math.log((a - 1) / a) - (logDelta + Math.log(a)) / (a - 1));
    }
    return best;
  }

  static double straightforwardLogA(double q, double sigma, double a) {
    if (q == 1) {
      return a * (a - 1) / (2 * sigma * sigma);
    }
    if (a == Math.rint(a)) {
      double logA = Double.NEGATIVE_INFINITY;
      for (int i = 0; i <= a; i++) {
        double logCoef = logBinomial(a, i) + i * Math.log(q) + (a - i) * Math.log(1 - q);
        logA = logAdd(logA, logCoef + (i * i - i) / (2 * sigma * sigma));
      }
      return logA;
    }
    double logA0 = Double.NEGATIVE_INFINITY;
    double logA1 = Double.NEGATIVE_INFINITY;
    double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
    for (int i = 0; ; i++) {
      double coefSign = binomialSign(a, i);
      double logCoef = logBinomial(a, i);
      double j = a - i;
      double logT0 = logCoef + i * Math.log(q) + j * Math.log(1 - q);
      double logT1 = logCoef + j * Math.log(q) + i * Math.log(1 - q);
      double logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.sqrt(2) * sigma));
      double logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.sqrt(2) * sigma));
      double logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
      double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
      if (coefSign > 0) {
        logA0 = logAdd(logA0, logS0);
        logA1 = logAdd(logA1, logS1);
      } else {
        logA0 = logSub(logA0, logS0);
        logA1 = logSub(logA1, logS1);
      }
      if (Math.max(logS0, logS1) < -30) {
        break;
      }
    }
    return logAdd(logA0, logA1);
  }

  private static double logErfc(double x) {
    double erfc = Erf.erfc(x);
    // commons-math underflows to 0 beyond about 26; fall back on the leading asymptotic term there
    return erfc > 0 ? Math.log(erfc) : -x * x - Math.log(x * Math.sqrt(Math.PI));
  }

  private static double logBinomial(double a, int i) {
    double log = 0;
    for (int k = 0; k < i; k++) {
      log += Math.log(Math.abs(a - k)) - Math.log(k + 1);
    }
    return log;
  }

  private static double binomialSign(double a, int i) {
    double sign = 1;
    for (int k = 0; k < i; k++) {
      sign *= Math.signum(a - k);
    }
    return sign;
  }

  private static double logAdd(double x, double y) {
    double max = Math.max(x, y);
    double min = Math.min(x, y);
    return min == Double.NEGATIVE_INFINITY ? max : max + Math.log1p(Math.exp(min - max));
  }

  private static double logSub(double x, double y) {
    return y == Double.NEGATIVE_INFINITY ? x : x + Math.log1p(-Math.exp(y - x));
  }
}
