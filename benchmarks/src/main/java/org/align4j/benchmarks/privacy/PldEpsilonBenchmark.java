package org.align4j.benchmarks.privacy;

import java.util.concurrent.TimeUnit;
import org.align4j.core.privacy.PldAccountant;
import org.align4j.core.privacy.PrivacyLossPmf;
import org.align4j.core.privacy.SubsampledGaussianPld;
import org.align4j.core.privacy.SubsampledGaussianPld.Adjacency;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long does the tight (PLD) epsilon of 10,000 steps take (sigma 1.1, q 256/60000, delta 1e-5, interval 1e-4,
 * both adjacencies, nothing cached)? Contender: {@link PldAccountant}, which raises each transform to the step
 * count in the Fourier domain (one forward and one inverse FFT per adjacency). Baseline: the same discretised
 * distributions composed by square-and-multiply in the loss domain, one FFT convolution (three transforms) with
 * tail truncation per squaring or multiplication.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class PldEpsilonBenchmark {

  private static final double SIGMA = 1.1;
  private static final double Q = 256.0 / 60000;
  private static final long STEPS = 10_000;
  private static final double TAIL = PldAccountant.DEFAULT_TAIL_MASS;

  /** The library's accountant, fresh each time. */
  @Benchmark
  public double pldAccountant() {
    return new PldAccountant().add(SIGMA, Q, STEPS).epsilon(1e-5);
  }

  /** Square-and-multiply by loss-domain convolutions. */
  @Benchmark
  public double squareAndMultiplyConvolutions() {
    double worst = 0;
    for (Adjacency adjacency : Adjacency.values()) {
      PrivacyLossPmf base = SubsampledGaussianPld.pmf(SIGMA, Q, adjacency, PldAccountant.DEFAULT_INTERVAL, TAIL);
      PrivacyLossPmf result = null;
      for (long power = STEPS; power > 0; power >>= 1) {
        if ((power & 1) != 0) {
          result = result == null ? base : result.convolve(base, TAIL);
        }
        if (power > 1) {
          base = base.convolve(base, TAIL);
        }
      }
      worst = Math.max(worst, result.epsilon(1e-5));
    }
    return worst;
  }
}
