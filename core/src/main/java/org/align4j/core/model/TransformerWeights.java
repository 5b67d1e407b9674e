package org.align4j.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.util.Nd4jBackend;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The named float32 parameters of a transformer, in a fixed order. Names: {@code tok_emb [V, d]},
 * {@code pos_emb [T, d]}; per layer {@code l} the prefix {@code l<l>.}: {@code ln1.g, ln1.b, attn.wq, attn.bq,
 * attn.wk, attn.bk, attn.wv, attn.bv, attn.wo, attn.bo, ln2.g, ln2.b, mlp.w1, mlp.b1, mlp.w3, mlp.w2, mlp.b2}; then
 * {@code lnf.g, lnf.b}, and {@code lm_head [V, d]}. Which of them exist depends on the {@link Architecture}: no
 * {@code pos_emb} with rotary positions, no norm shifts ({@code .b}) with RMS norms, no {@code bq, bk, bv} without
 * QKV biases, no {@code bo, b1, b2} without dense biases, {@code mlp.w3} (the up projection) only with SwiGLU,
 * {@code lm_head} only with an untied output. Matrices are stored {@code [in, out]} (a layer computes
 * {@code x W + b}); {@code wk, wv} are {@code [d, kvHeads * headDim]}.
 *
 * <p>The arrays are owned by this object and updated in place by trainers; {@link #copy()} gives an independent
 * snapshot (for a frozen reference model).
 */
public final class TransformerWeights {

  private final TransformerConfig config;
  private final Map<String, INDArray> params;

  private TransformerWeights(TransformerConfig config, Map<String, INDArray> params) {
    this.config = config;
    this.params = params;
  }

  /**
   * Fresh weights: normal(0, 0.02) matrices and embeddings, output projections of each residual branch scaled by
   * 1/sqrt(2 * layers), zero biases, unit layer-norm gains. The same seed gives the same weights.
   */
  public static TransformerWeights initialize(TransformerConfig config, long seed) {
    Nd4jBackend.require();
    SplittableRandom random = new SplittableRandom(seed);
    double std = 0.02;
    double residualStd = std / Math.sqrt(2.0 * config.layers());
    Map<String, INDArray> p = new LinkedHashMap<>();
    for (String name : names(config)) {
      long[] shape = shape(config, name);
      if (name.endsWith(".g")) {
        p.put(name, Nd4j.ones(DataType.FLOAT, shape));
      } else if (isBias(name)) {
        p.put(name, Nd4j.zeros(DataType.FLOAT, shape));
      } else {
        double s = name.endsWith("attn.wo") || name.endsWith("mlp.w2") ? residualStd : std;
        p.put(name, gaussian(random, shape, s));
      }
    }
    return new TransformerWeights(config, p);
  }

  /**
   * Wraps existing arrays (for loading a checkpoint).
   *
   * @throws IllegalArgumentException when a parameter is missing, extra, or of the wrong shape
   */
  public static TransformerWeights of(TransformerConfig config, Map<String, INDArray> arrays) {
    List<String> expected = names(config);
    if (!arrays.keySet().equals(new java.util.HashSet<>(expected))) {
      List<String> missing = new ArrayList<>(expected);
      missing.removeAll(arrays.keySet());
      List<String> extra = new ArrayList<>(arrays.keySet());
      extra.removeAll(expected);
      throw new IllegalArgumentException(
          "weights do not match the model configuration: missing " + missing + ", unexpected " + extra);
    }
    Map<String, INDArray> p = new LinkedHashMap<>();
    for (String name : expected) {
      INDArray a = arrays.get(name);
      long[] shape = shape(config, name);
      if (!java.util.Arrays.equals(a.shape(), shape)) {
        throw new IllegalArgumentException("weight " + name + " has shape " + java.util.Arrays.toString(a.shape())
            + " but the configuration needs " + java.util.Arrays.toString(shape));
      }
      p.put(name, a.castTo(DataType.FLOAT).dup('c'));
    }
    return new TransformerWeights(config, p);
  }

  /** The parameter names of {@code config}, in their fixed order. */
  public static List<String> names(TransformerConfig config) {
    Architecture a = config.architecture();
    boolean shift = a.norm() == Architecture.Norm.LAYER;
    List<String> layer = new ArrayList<>();
    for (String s : List.of("ln1.g", "ln1.b", "attn.wq", "attn.bq", "attn.wk", "attn.bk", "attn.wv", "attn.bv",
        "attn.wo", "attn.bo", "ln2.g", "ln2.b", "mlp.w1", "mlp.b1", "mlp.w3", "mlp.w2", "mlp.b2")) {
      boolean keep = switch (s) {
        case "ln1.b", "ln2.b" -> shift;
        case "attn.bq", "attn.bk", "attn.bv" -> a.qkvBias();
        case "attn.bo", "mlp.b1", "mlp.b2" -> a.denseBias();
        case "mlp.w3" -> a.activation() == Architecture.Activation.SWIGLU;
        default -> true;
      };
      if (keep) {
        layer.add(s);
      }
    }
    List<String> names = new ArrayList<>();
    names.add("tok_emb");
    if (!a.rotary()) {
      names.add("pos_emb");
    }
    for (int l = 0; l < config.layers(); l++) {
      for (String s : layer) {
        names.add("l" + l + "." + s);
      }
    }
    names.add("lnf.g");
    if (shift) {
      names.add("lnf.b");
    }
    if (!a.tiedOutput()) {
      names.add("lm_head");
    }
    return names;
  }

  /** The shape of parameter {@code name} under {@code config}. */
  public static long[] shape(TransformerConfig config, String name) {
    long d = config.dModel();
    long m = config.mlpDim();
    long kv = (long) config.kvHeads() * config.headDim();
    if (name.equals("tok_emb") || name.equals("lm_head")) {
      return new long[] {config.vocabSize(), d};
    }
    if (name.equals("pos_emb")) {
      return new long[] {config.contextLength(), d};
    }
    String local = name.substring(name.indexOf('.') + 1);
    if (name.startsWith("lnf.")) {
      return new long[] {d};
    }
    return switch (local) {
      case "attn.wq", "attn.wo" -> new long[] {d, d};
      case "attn.wk", "attn.wv" -> new long[] {d, kv};
      case "attn.bk", "attn.bv" -> new long[] {kv};
      case "mlp.w1", "mlp.w3" -> new long[] {d, m};
      case "mlp.b1" -> new long[] {m};
      case "mlp.w2" -> new long[] {m, d};
      default -> new long[] {d};
    };
  }

  /** Whether weight decay applies: matrices and embeddings yes, biases and layer-norm parameters no. */
  public static boolean decays(String name) {
    return !isBias(name) && !name.endsWith(".g");
  }

  private static boolean isBias(String name) {
    return name.endsWith(".b") || name.endsWith(".bq") || name.endsWith(".bk") || name.endsWith(".bv")
        || name.endsWith(".bo") || name.endsWith(".b1") || name.endsWith(".b2");
  }

  private static INDArray gaussian(SplittableRandom random, long[] shape, double std) {
    int n = (int) (shape[0] * (shape.length > 1 ? shape[1] : 1));
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) (random.nextGaussian() * std);
    }
    return Nd4j.create(data, shape, 'c');
  }

  /** The configuration these weights belong to. */
  public TransformerConfig config() {
    return config;
  }

  /** The parameter called {@code name} if the architecture has it, else null (an absent bias or shift). */
  INDArray optional(String name) {
    return params.get(name);
  }

  /** The output layer's matrix [V, d]: {@code tok_emb} when tied, else {@code lm_head}. */
  INDArray output() {
    return get(config.architecture().tiedOutput() ? "tok_emb" : "lm_head");
  }

  /** The parameter called {@code name} (the live array, not a copy). */
  public INDArray get(String name) {
    INDArray a = params.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter named " + name);
    }
    return a;
  }

  /** All parameters in their fixed order (live arrays; the map itself is unmodifiable). */
  public Map<String, INDArray> asMap() {
    return Collections.unmodifiableMap(params);
  }

  /** An independent deep copy. */
  public TransformerWeights copy() {
    Map<String, INDArray> p = new LinkedHashMap<>();
    params.forEach((k, v) -> p.put(k, v.dup('c')));
    return new TransformerWeights(config, p);
  }
}
