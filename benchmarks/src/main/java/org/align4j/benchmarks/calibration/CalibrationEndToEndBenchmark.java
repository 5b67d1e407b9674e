package org.align4j.benchmarks.calibration;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.align4j.rewardmodel.calibration.CalibrationMethod;
import org.align4j.rewardmodel.calibration.Calibrator;
import org.align4j.rewardmodel.calibration.RewardPairs;
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
 * Calibrating 300,000 rewards (150,000 pairs, integer lengths with a long tail up to 20,000 characters) end to end:
 * fit and apply. RC-LWR (frac 0.9, exact) and RC-Mean against the baseline of the plain length penalty, which fits
 * nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class CalibrationEndToEndBenchmark {

  @Param({"150000"})
  int pairs;

  RewardPairs data;
  Calibrator lwr;
  Calibrator mean;
  Calibrator penalty;

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(11);
    double[] cr = new double[pairs];
    double[] rr = new double[pairs];
    double[] cl = new double[pairs];
    double[] rl = new double[pairs];
    double[] ct = new double[pairs];
    double[] rt = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      cl[i] = length(random);
      rl[i] = length(random);
      double prompt = length(random) / 4;
      ct[i] = cl[i] + prompt;
      rt[i] = rl[i] + prompt;
      double quality = random.nextGaussian();
      cr[i] = quality + 0.5 + 0.8 * Math.log(cl[i]) + random.nextGaussian() * 0.5;
      rr[i] = quality + 0.8 * Math.log(rl[i]) + random.nextGaussian() * 0.5;
    }
    data = RewardPairs.of(cr, rr, cl, rl).withPenaltyFeature(ct, rt);
    lwr = Calibrator.builder().method(CalibrationMethod.LWR).frac(0.9).build();
    mean = Calibrator.builder().method(CalibrationMethod.MEAN).build();
    penalty = Calibrator.builder().method(CalibrationMethod.PENALTY).build();
  }

  private static double length(Random random) {
    return Math.min(20000, Math.max(1, Math.round(Math.exp(6.5 + 0.9 * random.nextGaussian()))));
  }

  /** RC-LWR, fit and apply. */
  @Benchmark
  public RewardPairs rcLwr() {
    return lwr.fit(data).apply(data);
  }

  /** RC-Mean, fit and apply. */
  @Benchmark
  public RewardPairs rcMean() {
    return mean.fit(data).apply(data);
  }

  /** The baseline: the length penalty, which fits nothing. */
  @Benchmark
  public RewardPairs lengthPenaltyBaseline() {
    return penalty.fit(data).apply(data);
  }
}
