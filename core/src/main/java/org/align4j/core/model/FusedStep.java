package org.align4j.core.model;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.align4j.core.model.internal.Embeddings;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A cached decoding step without ND4J operations: the residual stream, norms, activations and bias additions are
 * loops over Java arrays, and every dense layer is one {@link DirectBlas} product that reads its weights where ND4J
 * keeps them. At batch 1 a step is a few matrix-vector products plus about 20 elementwise passes over vectors of
 * d_model or MLP width; as ND4J operations those passes and products cost about 100 microseconds of dispatch each,
 * which made a step 5 to 10 times slower than reading the weights once. Implements every {@link Architecture} option,
 * as {@link TransformerInference} does.
 *
 * <p>Built for one {@link KvCache} (one generation call) over the live weights: the matrices are views of ND4J's
 * memory, the norm gains and biases small copies (the weights must not be trained while the cache is in use).
 */
final class FusedStep {

  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

  private final TransformerWeights w;
  private final TransformerConfig c;
  private final Architecture a;
  private final Layer[] layers;
  private final float[] lnfGain;
  private final float[] lnfShift;
  private final FloatBuffer output;

  /** One layer's matrices (views) and vectors (copies; null where the architecture has none). */
  private record Layer(float[] ln1Gain, float[] ln1Shift, FloatBuffer wq, FloatBuffer wk, FloatBuffer wv,
      float[] qkvBias, FloatBuffer wo,
      float[] bo, float[] ln2Gain, float[] ln2Shift, FloatBuffer w1, float[] b1, FloatBuffer w3, float[] b3,
      FloatBuffer w2, float[] b2) {}

  /** Views of {@code w}'s weights. */
  FusedStep(TransformerWeights w) {
    this.w = w;
    this.c = w.config();
    this.a = c.architecture();
    layers = new Layer[c.layers()];
    for (int l = 0; l < layers.length; l++) {
      String p = "l" + l + ".";
      FloatBuffer w3 = a.activation() == Architecture.Activation.SWIGLU ? matrix(p + "mlp.w3") : null;
      layers[l] = new Layer(vector(p + "ln1.g"), vector(p + "ln1.b"), matrix(p + "attn.wq"), matrix(p + "attn.wk"),
          matrix(p + "attn.wv"), qkvBias(p), matrix(p + "attn.wo"),
          vector(p + "attn.bo"), vector(p + "ln2.g"), vector(p + "ln2.b"), matrix(p + "mlp.w1"), vector(p + "mlp.b1"),
          w3, vector(p + "mlp.b3"), matrix(p + "mlp.w2"), vector(p + "mlp.b2"));
    }
    lnfGain = vector("lnf.g");
    lnfShift = vector("lnf.b");
    output = DirectBlas.view(w.output());
  }

  private FloatBuffer matrix(String name) {
    return DirectBlas.view(w.get(name));
  }

  /** Layer {@code p}'s query, key and value biases end to end, or null without QKV biases. */
  private float[] qkvBias(String p) {
    float[] q = vector(p + "attn.bq");
    if (q == null) {
      return null;
    }
    float[] k = vector(p + "attn.bk");
    float[] v = vector(p + "attn.bv");
    float[] out = Arrays.copyOf(q, q.length + k.length + v.length);
    System.arraycopy(k, 0, out, q.length, k.length);
    System.arraycopy(v, 0, out, q.length + k.length, v.length);
    return out;
  }

  private float[] vector(String name) {
    INDArray v = w.optional(name);
    return v == null ? null : v.data().asFloat();
  }

  /**
   * Appends {@code tokens[from .. to)} at their rows' next position (row r's token at position
   * {@code positions[r - from]}) and returns those rows' logits, [to - from][V].
   *
   * @param parallelAttention whether the attention's rows run in parallel
   */
  float[][] rows(int[] tokens, int[] positions, KvCache cache, int from, int to, boolean parallelAttention) {
    int n = to - from;
    float[] x = Embeddings.rows(w, Arrays.copyOfRange(tokens, from, to), positions);
    layers(x, n, (l, qkv) -> cache.appendAndAttend(l, qkv, from, to, parallelAttention));
    return logits(x, n);
  }

  /**
   * Fills the empty cache's rows {@code [from, to)} with every position of their (left-padded) prompts
   * {@code tokens[from .. to)}, all of one length, and returns the logits at those rows' last position,
   * [to - from][V].
   */
  float[][] prefill(int[][] tokens, KvCache cache, int from, int to) {
    int t = tokens[0].length;
    int n = (to - from) * t;
    int d = c.dModel();
    int[] flat = new int[n];
    int[] positions = new int[n];
    for (int b = from; b < to; b++) {
      for (int j = 0; j < t; j++) {
        flat[(b - from) * t + j] = tokens[b][j];
        positions[(b - from) * t + j] = Math.max(0, j - cache.pad(b));
      }
    }
    float[] x = Embeddings.rows(w, flat, positions);
    layers(x, n, (l, qkv) -> cache.fillAndAttend(l, qkv, from, to, t));
    float[] last = new float[(to - from) * d];
    for (int r = 0; r < to - from; r++) {
      System.arraycopy(x, (r * t + t - 1) * d, last, r * d, d);
    }
    return logits(last, to - from);
  }

  /** How the layers' attention gets its output from the fused projections: the cache's append or fill. */
  private interface Attention {
    float[] attend(int layer, float[] qkv);
  }

  /** Runs the {@code n} rows of the residual stream {@code x} ([n, d] row-major) through every layer, in place. */
  private void layers(float[] x, int n, Attention attention) {
    int d = c.dModel();
    int m = c.mlpDim();
    int width = c.dModel() + 2 * c.kvHeads() * c.headDim();
    float[] h = new float[n * d];
    float[] qkv = new float[n * width];
    float[] o = new float[n * d];
    float[] u = new float[n * m];
    float[] up = a.activation() == Architecture.Activation.SWIGLU ? new float[n * m] : null;
    float[] kv = new float[n * (width - d) / 2];
    for (int l = 0; l < layers.length; l++) {
      Layer y = layers[l];
      norm(x, n, d, y.ln1Gain, y.ln1Shift, h);
      project(h, n, y, qkv, o, kv);
      addBias(qkv, width, y.qkvBias);
      DirectBlas.product(attention.attend(l, qkv), n, d, y.wo, false, d, o);
      addResidual(x, o, d, y.bo);
      norm(x, n, d, y.ln2Gain, y.ln2Shift, h);
      DirectBlas.product(h, n, d, y.w1, false, m, u);
      addBias(u, m, y.b1);
      if (up != null) {
        DirectBlas.product(h, n, d, y.w3, false, m, up);
        addBias(up, m, y.b3);
      }
      activate(u, up);
      DirectBlas.product(u, n, m, y.w2, false, d, o);
      addResidual(x, o, d, y.b2);
    }
  }

  /**
   * The query, key and value projections of the {@code n} rows of {@code h}, side by side in each row of
   * {@code qkv} ([n, d + 2 kvd]): three products (through {@code q} [n, d] and {@code kv} [n, kvd] scratch) rather
   * than one over a concatenated copy of the three matrices, which would cost a copy of them per generation call.
   */
  private void project(float[] h, int n, Layer y, float[] qkv, float[] q, float[] kv) {
    int d = c.dModel();
    int kvd = kv.length / n;
    int width = d + 2 * kvd;
    DirectBlas.product(h, n, d, y.wq, false, d, q);
    for (int r = 0; r < n; r++) {
      System.arraycopy(q, r * d, qkv, r * width, d);
    }
    DirectBlas.product(h, n, d, y.wk, false, kvd, kv);
    for (int r = 0; r < n; r++) {
      System.arraycopy(kv, r * kvd, qkv, r * width + d, kvd);
    }
    DirectBlas.product(h, n, d, y.wv, false, kvd, kv);
    for (int r = 0; r < n; r++) {
      System.arraycopy(kv, r * kvd, qkv, r * width + d + kvd, kvd);
    }
  }

  /** The logits of the {@code n} rows of the residual stream {@code x} after the final norm, [n][V]. */
  private float[][] logits(float[] x, int n) {
    int d = c.dModel();
    float[] h = new float[n * d];
    norm(x, n, d, lnfGain, lnfShift, h);
    int vocab = c.vocabSize();
    float[] logits = new float[n * vocab];
    DirectBlas.product(h, n, d, output, true, vocab, logits);
    float[][] out = new float[n][];
    for (int r = 0; r < n; r++) {
      out[r] = Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab);
    }
    return out;
  }

  /** The architecture's norm (layer or RMS) of the rows of {@code x}, written to {@code out}. */
  private void norm(float[] x, int rows, int d, float[] gain, float[] shift, float[] out) {
    normRows(x, rows, d, gain, shift, a.norm() == Architecture.Norm.RMS, a.normEps(), out);
  }

  /**
   * A layer norm ({@code rms} false; {@code shift} may then be null for none) or an RMS norm of the {@code rows}
   * rows of {@code x} ([rows, d] row-major), in double precision, written to {@code out}.
   */
  static void normRows(float[] x, int rows, int d, float[] gain, float[] shift, boolean rms, double eps,
      float[] out) {
    for (int r = 0; r < rows; r++) {
      int o = r * d;
      double mean = 0;
      if (!rms) {
        for (int j = 0; j < d; j++) {
          mean += x[o + j];
        }
        mean /= d;
      }
      double sq = 0;
      for (int j = 0; j < d; j++) {
        double centred = x[o + j] - mean;
        sq += centred * centred;
      }
      double rstd = 1 / Math.sqrt(sq / d + eps);
      for (int j = 0; j < d; j++) {
        float v = (float) ((x[o + j] - mean) * rstd) * gain[j];
        out[o + j] = shift == null ? v : v + shift[j];
      }
    }
  }

  /** {@code y[r][j] += bias[j]} for every row of y ([rows, width] row-major); nothing when bias is null. */
  private static void addBias(float[] y, int width, float[] bias) {
    if (bias == null) {
      return;
    }
    for (int o = 0; o < y.length; o += width) {
      for (int j = 0; j < width; j++) {
        y[o + j] += bias[j];
      }
    }
  }

  /** {@code x += y + bias} row by row (bias may be null). */
  private static void addResidual(float[] x, float[] y, int width, float[] bias) {
    for (int o = 0; o < x.length; o += width) {
      for (int j = 0; j < width; j++) {
        x[o + j] += bias == null ? y[o + j] : y[o + j] + bias[j];
      }
    }
  }

  /** The MLP's non-linearity in place on {@code u}; with SwiGLU, {@code silu(u) * up}. */
  private void activate(float[] u, float[] up) {
    switch (a.activation()) {
      case GELU_SIGMOID -> {
        for (int i = 0; i < u.length; i++) {
          u[i] = u[i] * sigmoid(1.702f * u[i]);
        }
      }
      case GELU_TANH -> {
        // 0.5 v (1 + tanh(z)) = v sigmoid(2z): Math.tanh is not an intrinsic and took a third of a GPT-2 step.
        for (int i = 0; i < u.length; i++) {
          double v = u[i];
          u[i] = (float) (v / (1 + Math.exp(-2 * SQRT_2_OVER_PI * (v + 0.044715 * v * v * v))));
        }
      }
      case SWIGLU -> {
        for (int i = 0; i < u.length; i++) {
          u[i] = u[i] * sigmoid(u[i]) * up[i];
        }
      }
    }
  }

  private static float sigmoid(float v) {
    return (float) (1 / (1 + Math.exp(-v)));
  }
}
