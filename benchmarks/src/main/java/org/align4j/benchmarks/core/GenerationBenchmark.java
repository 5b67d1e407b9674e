package org.align4j.benchmarks.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
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
 * Question: how much does the key/value cache speed up generation? 64 new tokens (greedy) after a 64-token prompt
 * at batch 1 and 64 with the d_model 256, 4-layer, context-256 model: cached (one position per new token) against
 * the baseline that re-runs the whole sequence for every token. Tokens/s = batch * 64 / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=10G",
    "-Dorg.nd4j.log.initialization=false"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class GenerationBenchmark {

  static final int PROMPT = 64;
  static final int NEW_TOKENS = 64;

  @Param({"1", "64"})
  public int batch;

  private TransformerLm model;
  private List<int[]> prompts;
  private final GenerationConfig greedy = GenerationConfig.greedy(NEW_TOKENS).withStopAtEos(false);

  /** Builds the model and the prompts. */
  @Setup(Level.Trial)
  public void setUp() {
    model = TransformerLm.create(TrainingThroughputBenchmark.CONFIG, ByteTokenizer.INSTANCE, 1);
    SplittableRandom random = new SplittableRandom(2);
    prompts = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      int[] p = new int[PROMPT];
      for (int t = 0; t < PROMPT; t++) {
        p[t] = random.nextInt(256);
      }
      prompts.add(p);
    }
  }

  /** Contender: generation with the key/value cache. */
  @Benchmark
  public List<int[]> cached() {
    return model.generate(prompts, greedy, true);
  }

  /** Baseline: every new token re-runs the whole sequence. */
  @Benchmark
  public List<int[]> uncached() {
    return model.generate(prompts, greedy, false);
  }
}
