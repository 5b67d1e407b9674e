package org.align4j.benchmarks.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.bytedeco.openblas.global.openblas;
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
 * Question: how fast is cached greedy generation, and how close does it come to the floor set by reading the
 * weights? 64 new tokens after a 64-token prompt at batch 1 and 64 with the d_model 256, 4-layer, context-256
 * model. Contender: {@link #cached}. Baselines: {@link #uncached}, which re-runs the whole sequence for every
 * token, and {@link #weightProducts}, the dense products of 64 steps alone: every weight matrix of the model
 * (each layer's query, key, value, output and MLP matrices, and the output layer) multiplied by {@code batch} rows
 * 64 times, as plain OpenBLAS calls (sgemv at batch 1, sgemm otherwise, one thread) on ND4J's memory. A batch-1
 * step reads each weight once, so {@code cached / weightProducts} is how far generation is from that bound.
 * Tokens/s = batch * 64 / time. {@code tools/../shared/peers/torch_peer.py gen} is the PyTorch peer.
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
  private static final int ROW_MAJOR = 101;
  private static final int NO_TRANS = 111;
  private static final int TRANS = 112;

  @Param({"1", "64"})
  public int batch;

  private TransformerLm model;
  private List<int[]> prompts;
  private final GenerationConfig greedy = GenerationConfig.greedy(NEW_TOKENS).withStopAtEos(false);
  private final List<FloatBuffer> matrices = new ArrayList<>();
  private final List<long[]> shapes = new ArrayList<>();
  private FloatBuffer in;
  private FloatBuffer out;

  /** Builds the model, the prompts and the baseline's views of the weight matrices. */
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
    for (Map.Entry<String, INDArray> e : model.weights().asMap().entrySet()) {
      INDArray w = e.getValue();
      boolean output = e.getKey().equals("lm_head") || e.getKey().equals("tok_emb")
          && !model.weights().asMap().containsKey("lm_head");
      if (w.rank() == 2 && (output || e.getKey().contains(".attn.w") || e.getKey().contains(".mlp.w"))) {
        matrices.add(w.data().asNioFloat());
        // [in, out], or [out, in] (negated) for the output layer's [V, d].
        shapes.add(output ? new long[] {-w.size(1), w.size(0)} : w.shape());
      }
    }
    int widest = (int) Math.max(model.config().vocabSize(), model.config().mlpDim());
    in = direct(batch * widest);
    out = direct(batch * widest);
    Nd4j.factory().blas().setMaxThreads(1);
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder()).asFloatBuffer();
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

  /** Baseline: the dense products of 64 steps, each weight matrix read once per step. */
  @Benchmark
  public float weightProducts() {
    for (int step = 0; step < NEW_TOKENS; step++) {
      for (int i = 0; i < matrices.size(); i++) {
        long[] s = shapes.get(i);
        boolean transposed = s[0] < 0;
        int k = (int) Math.abs(s[0]);
        int n = (int) s[1];
        if (batch == 1) {
          openblas.cblas_sgemv(ROW_MAJOR, transposed ? NO_TRANS : TRANS, transposed ? n : k, transposed ? k : n, 1f,
              matrices.get(i), transposed ? k : n, in, 1, 0f, out, 1);
        } else {
          openblas.cblas_sgemm(ROW_MAJOR, NO_TRANS, transposed ? TRANS : NO_TRANS, batch, n, k, 1f, in, k,
              matrices.get(i), transposed ? k : n, 0f, out, n);
        }
      }
    }
    return out.get(0);
  }
}
