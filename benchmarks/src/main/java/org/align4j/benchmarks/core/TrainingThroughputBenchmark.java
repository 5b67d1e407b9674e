package org.align4j.benchmarks.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.SftConfig;
import org.align4j.core.train.SftTrainer;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Question: what fraction of the machine's float32 matrix-multiply rate does SFT training reach (model FLOP
 * utilisation)? Contender: SFT steps (forward, backward, clipping, AdamW) of a d_model 256, 4-layer, context-256
 * transformer on batches of 32 full sequences, timed as runs of 1 and of {@value #STEPS} steps so that the
 * one-off graph construction cancels: a step costs (t_STEPS - t_1) / (STEPS - 1). Baseline, in the same run: a
 * 1024 x 1024 float32 matrix product with ND4J. {@link #main} runs both and prints tokens/s and MFU, where the
 * model's training FLOPs per token are three times its forward FLOPs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=10G",
    "-Dorg.nd4j.log.initialization=false"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class TrainingThroughputBenchmark {

  static final TransformerConfig CONFIG = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
      .contextLength(256).dModel(256).heads(4).layers(4).mlpRatio(4).build();
  static final int BATCH = 32;
  static final int MATMUL = 1024;
  static final int STEPS = 4;

  private TransformerLm model;
  private Dataset<TextExample> batch;
  private SftTrainer oneStep;
  private SftTrainer manySteps;
  private INDArray a;
  private INDArray b;
  private INDArray c;

  /** Builds the model, one batch of 32 full-context texts, and the matrices. */
  @Setup(Level.Trial)
  public void setUp() {
    model = TransformerLm.create(CONFIG, ByteTokenizer.INSTANCE, 1);
    SplittableRandom random = new SplittableRandom(1);
    List<TextExample> texts = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      StringBuilder sb = new StringBuilder();
      while (sb.length() < CONFIG.contextLength()) {
        sb.append((char) ('a' + random.nextInt(26)));
      }
      texts.add(new TextExample("t" + i, sb.toString()));
    }
    batch = Dataset.of("bench", texts);
    oneStep = new SftTrainer(SftConfig.builder().batchSize(BATCH).maxSteps(1).build());
    manySteps = new SftTrainer(SftConfig.builder().batchSize(BATCH).maxSteps(STEPS).build());
    a = Nd4j.rand(DataType.FLOAT, MATMUL, MATMUL);
    b = Nd4j.rand(DataType.FLOAT, MATMUL, MATMUL);
    c = Nd4j.create(DataType.FLOAT, MATMUL, MATMUL);
  }

  /** A one-step training run on 32 x 256 tokens (graph construction included). */
  @Benchmark
  public Object sftRun1() {
    return oneStep.train(model, batch);
  }

  /** A {@value #STEPS}-step training run on 32 x 256 tokens per step (graph construction included). */
  @Benchmark
  public Object sftRunMany() {
    return manySteps.train(model, batch);
  }

  /** Baseline: C = A B for 1024 x 1024 float32 matrices (2 * 1024^3 FLOPs), 10 times. */
  @Benchmark
  public INDArray matmulBaseline() {
    for (int i = 0; i < 9; i++) {
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }
    return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
  }

  /** Runs both benchmarks and prints tokens/s and model FLOP utilisation. */
  public static void main(String[] args) throws RunnerException {
    var options = new OptionsBuilder().include(TrainingThroughputBenchmark.class.getSimpleName()).build();
    double run1Ms = Double.NaN;
    double runManyMs = Double.NaN;
    double matmulMs = Double.NaN;
    for (RunResult r : new Runner(options).run()) {
      String label = r.getParams().getBenchmark();
      double score = r.getPrimaryResult().getScore();
      if (label.endsWith("sftRun1")) {
        run1Ms = score;
      } else if (label.endsWith("sftRunMany")) {
        runManyMs = score;
      } else {
        matmulMs = score / 10;
      }
    }
    double stepMs = (runManyMs - run1Ms) / (STEPS - 1);
    double tokensPerSecond = BATCH * (CONFIG.contextLength() - 1) / (stepMs / 1000);
    double trainFlopsPerToken = 3 * CONFIG.forwardFlopsPerToken();
    double matmulFlops = 2.0 * MATMUL * MATMUL * MATMUL / (matmulMs / 1000);
    System.out.printf(Locale.ROOT, "step %.0f ms (graph construction %.0f ms); ", stepMs, run1Ms - stepMs);
    System.out.printf(Locale.ROOT, "training: %.0f tokens/s, %.2f GFLOP/s; matmul baseline %.2f GFLOP/s; MFU %.1f%%%n",
        tokensPerSecond, tokensPerSecond * trainFlopsPerToken / 1e9, matmulFlops / 1e9,
        100 * tokensPerSecond * trainFlopsPerToken / matmulFlops);
  }
}
