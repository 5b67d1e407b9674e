package org.align4j.benchmarks.optimizers;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.align4j.optimizers.preference.PreferenceBatch;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.align4j.optimizers.preference.PreferenceLossType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * Question: how fast are the preference losses on 1,000,000 pairs, vectorised with ND4J against plain Java?
 * Contenders: the ND4J form in float32 and float64. Baselines: the float64 reference form (one array pass per
 * operation) and a fused plain Java loop (one pass, all operations per pair).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dorg.nd4j.log.initialization=false",
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=10G"})
public class PreferenceLossBenchmark {

  private static final int PAIRS = 1_000_000;

  @Param({"SIGMOID", "IPO"})
  public String type;

  private PreferenceLoss loss;
  private PreferenceBatch batch;
  private INDArray[] float32;
  private INDArray[] float64;

  /** Random log-probabilities and token counts; ND4J started and its arrays built. */
  @Setup(Level.Trial)
  public void setUp() {
    Nd4j.getRandom().setSeed(42);
    Random random = new Random(42);
    double[][] logps = new double[4][PAIRS];
    int[][] counts = new int[2][PAIRS];
    for (int i = 0; i < PAIRS; i++) {
      for (int k = 0; k < 4; k++) {
        logps[k][i] = -1 - 100 * random.nextDouble();
      }
      counts[0][i] = 1 + random.nextInt(128);
      counts[1][i] = 1 + random.nextInt(128);
    }
    loss = PreferenceLoss.builder().type(PreferenceLossType.valueOf(type)).beta(0.1).build();
    batch = new PreferenceBatch(logps[0], logps[1], logps[2], logps[3], counts[0], counts[1]);
    float64 = arrays(logps, counts, DataType.DOUBLE);
    float32 = arrays(logps, counts, DataType.FLOAT);
  }

  /** Contender: ND4J, float32. */
  @Benchmark
  public INDArray nd4jFloat32() {
    return loss.perExample(float32[0], float32[1], float32[2], float32[3], float32[4], float32[5]);
  }

  /** Contender: ND4J, float64. */
  @Benchmark
  public INDArray nd4jFloat64() {
    return loss.perExample(float64[0], float64[1], float64[2], float64[3], float64[4], float64[5]);
  }

  /** Baseline: the float64 reference form over Java arrays. */
  @Benchmark
  public double[] javaFloat64Form() {
    return loss.perExample(batch);
  }

  /** Baseline: one fused plain Java loop over the pairs. */
  @Benchmark
  public double[] plainJavaLoop() {
    double[] pc = batch.policyChosen();
    double[] pr = batch.policyRejected();
    double[] rc = batch.referenceChosen();
    double[] rr = batch.referenceRejected();
    int[] lc = batch.chosenTokens();
    int[] lr = batch.rejectedTokens();
    double beta = loss.beta();
    boolean ipo = loss.type() == PreferenceLossType.IPO;
    double[] out = new double[pc.length];
    for (int i = 0; i < out.length; i++) {
      if (ipo) {
        double d = (pc[i] - rc[i]) / Math.max(lc[i], 1) - (pr[i] - rr[i]) / Math.max(lr[i], 1) - 1 / (2 * beta);
        out[i] = d * d;
      } else {
        double z = beta * ((pc[i] - rc[i]) - (pr[i] - rr[i]));
        out[i] = -(Math.min(z, 0) - Math.log1p(Math.exp(-Math.abs(z))));
      }
    }
    return out;
  }

  private static INDArray[] arrays(double[][] logps, int[][] counts, DataType dt) {
    return new INDArray[] {Nd4j.createFromArray(logps[0]).castTo(dt), Nd4j.createFromArray(logps[1]).castTo(dt),
        Nd4j.createFromArray(logps[2]).castTo(dt), Nd4j.createFromArray(logps[3]).castTo(dt),
        Nd4j.createFromArray(counts[0]).castTo(dt), Nd4j.createFromArray(counts[1]).castTo(dt)};
  }
}
