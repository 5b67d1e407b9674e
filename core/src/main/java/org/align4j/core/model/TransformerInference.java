package org.align4j.core.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.align4j.core.model.internal.Affine;
import org.align4j.core.model.internal.BlasThreads;
import org.align4j.core.model.internal.Embeddings;
import org.align4j.core.model.internal.LayerNorm;
import org.align4j.core.model.internal.Workspaces;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.GELU;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The transformer's forward pass in plain ND4J operations over the trained weights, for inference: full
 * sequences (log-probabilities, uncached generation) and one position at a time against a key/value cache
 * (cached generation). For this library's own architecture it computes the same function as
 * {@link org.align4j.core.model.internal.TransformerGraph} without dropout; it implements every
 * {@link Architecture} option (RMS norms, rotary positions, grouped-query attention, SwiGLU, absent biases, an
 * untied output).
 *
 * <p>Rows may be left-padded: {@code pad[b]} leading positions of row b are padding, masked out as keys, and the
 * row's positions count from its first real token. Stateless apart from the {@link KvCache}s it hands out; safe to
 * use from several threads as long as the weights are not being trained at the same time. Callers run it inside a
 * workspace ({@link Workspaces}) and copy out what they keep.
 */
final class TransformerInference {

  private static final float MASKED = -1e9f;
  private static final String STEP_WORKSPACE = "align4j-transformer-step";
  /** The fewest rows a thread of a split step takes. */
  static final int ROWS_PER_PART = 32;

  private final TransformerWeights w;
  private final TransformerConfig c;
  private final Architecture a;
  /** Rotary tables, or null with learned positions. */
  private final Rotary rotary;

  TransformerInference(TransformerWeights weights) {
    this.w = weights;
    this.c = weights.config();
    this.a = c.architecture();
    this.rotary = Rotary.of(c);
  }

  /**
   * Logits for every position of a batch of equally long (padded) rows: [B, T, V]. When {@code cache} is not
   * null, it must be empty; the keys and values of all T positions are stored in it.
   */
  INDArray forward(int[][] tokens, int[] pad, KvCache cache) {
    int b = tokens.length;
    int t = tokens[0].length;
    return logits(hidden(tokens, pad, cache)).reshape(b, t, c.vocabSize());
  }

  /**
   * Final hidden states (after the last layer norm) for every position, [B*T, d] (row b*T + t). When
   * {@code cache} is not null, it must be empty; the keys and values of all T positions are stored in it.
   */
  INDArray hidden(int[][] tokens, int[] pad, KvCache cache) {
    int b = tokens.length;
    int t = tokens[0].length;
    int[] flatTokens = new int[b * t];
    int[] flatPositions = new int[b * t];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        flatTokens[i * t + j] = tokens[i][j];
        flatPositions[i * t + j] = Math.max(0, j - pad[i]);
      }
    }
    INDArray x = Embeddings.gather(w, flatTokens, flatPositions);
    INDArray mask = fullMask(b, t, pad);
    for (int l = 0; l < c.layers(); l++) {
      String p = "l" + l + ".";
      INDArray h = norm(x, p + "ln1");
      INDArray proj = Affine.apply(h, Affine.qkvWeight(w, l), Affine.qkvBias(w, l));
      INDArray[] qkv = qkvHeads(proj, b, t, flatPositions);
      if (cache != null) {
        cache.fill(l, qkv[1].dup('c').data().asFloat(), qkv[2].dup('c').data().asFloat(), t);
      }
      x.addi(attend(qkv[0], shared(qkv[1], b, t), shared(qkv[2], b, t), mask, b, t, p));
      x.addi(mlp(norm(x, p + "ln2"), p));
    }
    if (cache != null) {
      cache.setLength(t);
    }
    return norm(x, "lnf");
  }

  /** A cache for {@code batch} rows of up to {@code capacity} positions with the given left padding. */
  KvCache newCache(int batch, int capacity, int[] pad) {
    return newCache(batch, capacity, pad, DirectBlas.available());
  }

  /** As {@link #newCache(int, int, int[])}, its steps through {@link FusedStep} only when {@code fused}. */
  KvCache newCache(int batch, int capacity, int[] pad, boolean fused) {
    return new KvCache(w, batch, capacity, pad, rotary, fused);
  }

  /**
   * Fills the empty {@code cache} with every position of the (left-padded) rows {@code tokens}, all of one length,
   * and returns the logits at their last position, [B][V]: through {@link FusedStep} (rows split over threads as in
   * {@link #step}) where it is available, else as {@link #forward}.
   */
  float[][] prefill(int[][] tokens, int[] pad, KvCache cache) {
    int b = tokens.length;
    int t = tokens[0].length;
    if (cache.fused == null) {
      try (MemoryWorkspace ignored = Workspaces.open(STEP_WORKSPACE)) {
        return forward(tokens, pad, cache).get(all(), point(t - 1), all()).toFloatMatrix();
      }
    }
    float[][] logits = new float[b][];
    int parts = parts(b);
    IntStream.range(0, parts).parallel().forEach(part -> {
      int from = (int) ((long) part * b / parts);
      int to = (int) ((long) (part + 1) * b / parts);
      System.arraycopy(cache.fused.prefill(tokens, cache, from, to), 0, logits, from, to - from);
    });
    cache.setLength(t);
    return logits;
  }

  /** The row ranges a step of {@code b} rows is split into: at least {@link #ROWS_PER_PART} rows each. */
  private static int parts(int b) {
    return Math.max(1, Math.min(b / ROWS_PER_PART, ForkJoinPool.getCommonPoolParallelism() + 1));
  }

  /**
   * Appends one token per row at the cache's next position and returns that position's logits, [B][V]. With one
   * position per row, the residual stream, norms and attention are small enough that ND4J's cost per operation
   * would dominate: they run on Java arrays, and the dense layers are direct OpenBLAS calls ({@link FusedStep}), or
   * ND4J operations where those are unavailable. The rows are split into ranges of at least
   * {@link #ROWS_PER_PART} rows, up to one per core, each run through every layer by its own thread: with BLAS on
   * one thread ({@link BlasThreads}), this keeps every core busy in the dense layers as well as in attention. A
   * step of fewer rows stays on its calling thread with only its attention's rows in parallel. The split depends on
   * the row count and the core count only, never on other steps running at the same time: OpenBLAS rounds a row of
   * a product differently with the number of rows in it, so a split chosen by timing made concurrent audits give
   * different logits from run to run.
   *
   * @throws IllegalStateException when the cache is full
   */
  float[][] step(int[] nextTokens, KvCache cache) {
    int b = nextTokens.length;
    int t = cache.length();
    float[][] logits = new float[b][];
    int parts = parts(b);
    IntStream.range(0, parts).parallel().forEach(part -> {
      int from = (int) ((long) part * b / parts);
      int to = (int) ((long) (part + 1) * b / parts);
      int[] positions = new int[to - from];
      for (int i = 0; i < positions.length; i++) {
        positions[i] = Math.max(0, t - cache.pad(from + i));
      }
      if (cache.fused != null) {
        float[][] rows = cache.fused.rows(nextTokens, positions, cache, from, to, parts == 1);
        System.arraycopy(rows, 0, logits, from, to - from);
        return;
      }
      try (MemoryWorkspace ignored = Workspaces.open(STEP_WORKSPACE)) {
        float[][] rows = stepRows(nextTokens, positions, cache, from, to, parts == 1).toFloatMatrix();
        System.arraycopy(rows, 0, logits, from, to - from);
      }
    });
    cache.setLength(t + 1);
    return logits;
  }

  /**
   * Rows {@code [from, to)} of {@link #step} at {@code positions} as ND4J operations (where {@link DirectBlas} is
   * unavailable): their logits, [to - from, V].
   *
   * @param parallelAttention whether the attention's rows run in parallel
   */
  private INDArray stepRows(int[] nextTokens, int[] positions, KvCache cache, int from, int to,
      boolean parallelAttention) {
    int n = to - from;
    float[] x = Embeddings.rows(w, Arrays.copyOfRange(nextTokens, from, to), positions);
    for (int l = 0; l < c.layers(); l++) {
      String p = "l" + l + ".";
      INDArray proj = Affine.apply(normedRows(x, n, p + "ln1"), cache.qkvWeight[l], cache.qkvBias[l]);
      float[] attended = cache.appendAndAttend(l, proj.data().asFloat(), from, to, parallelAttention);
      addInto(x, linear(Nd4j.create(attended, new long[] {n, c.dModel()}, 'c'), p + "attn.wo", p + "attn.bo"));
      addInto(x, mlp(normedRows(x, n, p + "ln2"), p));
    }
    return logits(normedRows(x, n, "lnf"));
  }

  /** Norm {@code prefix} (layer or RMS) of the rows of {@code x} ([B, d] row-major), as a [B, d] array. */
  private INDArray normedRows(float[] x, int b, String prefix) {
    INDArray shift = w.optional(prefix + ".b");
    float[] out = new float[x.length];
    FusedStep.normRows(x, b, c.dModel(), w.get(prefix + ".g").data().asFloat(),
        shift == null ? null : shift.data().asFloat(), a.norm() == Architecture.Norm.RMS, a.normEps(), out);
    return Nd4j.create(out, new long[] {b, c.dModel()}, 'c');
  }

  /** {@code x += y} for a fresh (not a view) array {@code y} of x's length. */
  private static void addInto(float[] x, INDArray y) {
    float[] add = y.data().asFloat();
    for (int i = 0; i < x.length; i++) {
      x[i] += add[i];
    }
  }

  /** Additive mask [B, 1, T, T]: causal, and left padding masked as keys. */
  private static INDArray fullMask(int b, int t, int[] pad) {
    float[] data = new float[b * t * t];
    for (int i = 0; i < b; i++) {
      for (int q = 0; q < t; q++) {
        for (int k = 0; k < t; k++) {
          if (k > q || k < pad[i]) {
            data[(i * t + q) * t + k] = MASKED;
          }
        }
      }
    }
    return Nd4j.create(data, new long[] {b, 1, t, t}, 'c');
  }

  private INDArray attend(INDArray q, INDArray k, INDArray v, INDArray mask, int b, int t, String p) {
    INDArray scores = Nd4j.matmul(q, k, false, true, false).muli(1.0 / Math.sqrt(c.headDim()));
    scores = scores.add(mask);
    INDArray probs = Nd4j.exec(new SoftMax(scores, scores.ulike(), 3))[0];
    INDArray out = Nd4j.matmul(probs, v);
    INDArray merged = out.permute(0, 2, 1, 3).dup('c').reshape(b * t, c.dModel());
    return linear(merged, p + "attn.wo", p + "attn.bo");
  }

  private INDArray linear(INDArray x, String weight, String bias) {
    return Affine.apply(x, w.get(weight), w.optional(bias));
  }

  private INDArray mlp(INDArray h, String p) {
    INDArray hidden = linear(h, p + "mlp.w1", p + "mlp.b1");
    switch (a.activation()) {
      case GELU_SIGMOID -> Nd4j.exec(new GELU(hidden, hidden));
      case GELU_TANH -> geluTanh(hidden);
      case SWIGLU -> Nd4j.exec(new Swish(hidden, hidden)).muli(linear(h, p + "mlp.w3", p + "mlp.b3"));
    }
    return linear(hidden, p + "mlp.w2", p + "mlp.b2");
  }

  /**
   * GELU's tanh approximation in place, {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, from elementary
   * operations: ND4J's {@code PreciseGELU} differs from it by up to 0.2 in the logits of a tiny GPT-2.
   */
  private static void geluTanh(INDArray x) {
    INDArray inner = x.mul(x).muli(x).muli(0.044715).addi(x).muli(Math.sqrt(2 / Math.PI));
    x.muli(Transforms.tanh(inner, false).addi(1)).muli(0.5);
  }

  /**
   * The query [B, H, T, hd], key and value [B, KV, T, hd] heads of fused projections {@code proj} [B*T, (H + 2KV)
   * hd], rotary positions applied (row r at position {@code positions[r]}).
   */
  private INDArray[] qkvHeads(INDArray proj, int b, int t, int[] positions) {
    int h = c.heads();
    int kv = c.kvHeads();
    int hd = c.headDim();
    if (rotary == null && kv == h) {
      INDArray qkv = proj.reshape(b, t, 3, h, hd).permute(2, 0, 3, 1, 4).dup('c');
      return new INDArray[] {part(qkv, 0), part(qkv, 1), part(qkv, 2)};
    }
    int width = (h + 2 * kv) * hd;
    INDArray rows = proj;
    if (rotary != null) {
      float[] data = proj.data().asFloat();
      for (int r = 0; r < b * t; r++) {
        for (int head = 0; head < h + kv; head++) {
          rotary.rotate(data, r * width + head * hd, positions[r]);
        }
      }
      rows = Nd4j.create(data, new long[] {b * t, width}, 'c');
    }
    return new INDArray[] {heads(rows, 0, h, b, t), heads(rows, h * hd, kv, b, t),
        heads(rows, (h + kv) * hd, kv, b, t)};
  }

  /** Columns {@code [from, from + n hd)} of {@code rows} [B*T, width] as n heads, [B, n, T, hd]. */
  private INDArray heads(INDArray rows, int from, int n, int b, int t) {
    int hd = c.headDim();
    return rows.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + n * hd)).dup('c')
        .reshape(b, t, n, hd).permute(0, 2, 1, 3).dup('c');
  }

  /** Key or value heads [B, KV, T, hd] repeated for the query heads that share them, [B, H, T, hd]. */
  private INDArray shared(INDArray kv, int b, int t) {
    int group = c.heads() / c.kvHeads();
    if (group == 1) {
      return kv;
    }
    return kv.reshape(b, c.kvHeads(), 1, t, c.headDim()).repeat(2, group).reshape(b, c.heads(), t, c.headDim());
  }

  /** Query (0), key (1) or value (2) heads, [B, H, T, hd]: a contiguous slice of the stacked projections. */
  private static INDArray part(INDArray qkv, int i) {
    return qkv.get(point(i), all(), all(), all(), all());
  }

  /** Norm {@code prefix} of the rows of {@code x} [N, d]: a layer norm or an RMS norm. */
  private INDArray norm(INDArray x, String prefix) {
    if (a.norm() == Architecture.Norm.LAYER) {
      return new LayerNorm(w, prefix, x).out;
    }
    INDArray rstd = Transforms.pow(x.mul(x).mean(true, 1).addi(a.normEps()), -0.5, false);
    return x.mulColumnVector(rstd).muliRowVector(w.get(prefix + ".g"));
  }

  private INDArray logits(INDArray h) {
    return Affine.product(h, w.output(), false, true);
  }
}
