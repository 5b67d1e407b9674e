package org.align4j.benchmarks.optimizers;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.align4j.optimizers.rl.Gae;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: how fast is masked GAE on a [512, 256] RLHF batch? Contenders: the library's allocation-free tight
 * loop over flat arrays and its {@code [B][T]} form. Baselines: a naive form from the definition
 * ({@code A_t = Σ_l (γλ)^l δ_{t+l}}, O(T²) per row) and the Python libraries' shape, a loop over time steps with
 * ND4J column operations vectorised over the batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.nd4j.log.initialization=false",
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=8G"})
public class GaeBenchmark {

  private static final int B = 512;
  private static final int T = 256;
  private static final double GAMMA = 1.0;
  private static final double LAMBDA = 0.95;

  private final Gae gae = Gae.of(GAMMA, LAMBDA);
  private double[][] rewards;
  private double[][] values;
  private double[][] mask;
  private double[] flatRewards;
  private double[] flatValues;
  private double[] flatMask;
  private double[] advOut;
  private double[] retOut;
  private INDArray ndRewards;
  private INDArray ndValues;

  /** A right-padded batch with random response lengths; ND4J started. */
  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(42);
    rewards = new double[B][T];
    values = new double[B][T];
    mask = new double[B][T];
    for (int b = 0; b < B; b++) {
      int length = 1 + random.nextInt(T);
      for (int t = 0; t < length; t++) {
        mask[b][t] = 1;
        rewards[b][t] = 0.01 * random.nextGaussian();
        values[b][t] = random.nextGaussian();
      }
      rewards[b][length - 1] += random.nextGaussian();
    }
    flatRewards = flat(rewards);
    flatValues = flat(values);
    flatMask = flat(mask);
    advOut = new double[B * T];
    retOut = new double[B * T];
    ndRewards = Nd4j.createFromArray(rewards).mul(Nd4j.createFromArray(mask));
    ndValues = Nd4j.createFromArray(values).mul(Nd4j.createFromArray(mask));
  }

  /** Contender: the tight loop over flat arrays into preallocated outputs. */
  @Benchmark
  public double[] tightLoopFlat() {
    gae.computeMasked(flatRewards, flatValues, flatMask, B, T, advOut, retOut);
    return advOut;
  }

  /** Contender: the validated {@code [B][T]} form. */
  @Benchmark
  public Gae.Advantages rowsForm() {
    return gae.computeMasked(rewards, values, mask);
  }

  /** Baseline: ND4J column operations, one time step at a time (the shape of TRL's and OpenRLHF's loops). */
  @Benchmark
  public INDArray nd4jTimeLoop() {
    INDArray adv = Nd4j.zeros(ndRewards.dataType(), B, T);
    INDArray last = Nd4j.zeros(ndRewards.dataType(), B);
    INDArray nextValue = Nd4j.zeros(ndRewards.dataType(), B);
    for (int t = T - 1; t >= 0; t--) {
      INDArray v = ndValues.get(NDArrayIndex.all(), NDArrayIndex.point(t));
      INDArray delta = ndRewards.get(NDArrayIndex.all(), NDArrayIndex.point(t)).add(nextValue.mul(GAMMA)).subi(v);
      last = delta.addi(last.mul(GAMMA * LAMBDA));
      adv.putColumn(t, last);
      nextValue = v;
    }
    return adv;
  }

  /** Baseline: the naive definition, O(T²) per row. */
  @Benchmark
  public double[][] naiveDefinition() {
    double[][] adv = new double[B][T];
    for (int b = 0; b < B; b++) {
      double[] delta = new double[T];
      for (int t = 0; t < T; t++) {
        double next = t + 1 < T ? values[b][t + 1] * mask[b][t + 1] : 0;
        delta[t] = rewards[b][t] * mask[b][t] + GAMMA * next - values[b][t] * mask[b][t];
      }
      for (int t = 0; t < T; t++) {
        double sum = 0;
        double w = 1;
        for (int l = t; l < T; l++) {
          sum += w * delta[l];
          w *= GAMMA * LAMBDA;
        }
        adv[b][t] = sum;
      }
    }
    return adv;
  }

  private static double[] flat(double[][] x) {
    double[] out = new double[B * T];
    for (int b = 0; b < B; b++) {
      System.arraycopy(x[b], 0, out, b * T, T);
    }
    return out;
  }
}
