package org.align4j.optimizers.dp;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerWeights;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transformer of {@code TransformerGraph} for exactly {@code B} rows in which every row has its own copy of
 * every parameter: a parameter of shape S is a variable of shape [B, S] and every matrix product is a batched
 * product, so the gradient with respect to slice b of a copy is example b's gradient. The same computation as
 * {@code TransformerGraph} (one-hot embeddings, hand-written causal attention and layer norm, tied output layer),
 * checked against it by the tests.
 *
 * <p>An example of {@code k} graph rows ({@link PerExampleLoss#rowsPerExample()}, such as a preference pair) gets
 * one parameter copy for all its rows: its k sequences of T tokens run as one row of {@code k*T} positions with
 * a block-diagonal causal mask (no position attends across sequences) and positions restarting at 0 in each
 * sequence, which computes exactly what k separate rows would. The view the loss sees is unchanged: {@code tokens}
 * is [rows*k, T] and {@link #hidden()} has row {@code r*T + t} for graph row {@code r}.
 *
 * <p>The copies are refreshed from the live weights by {@link #refresh()} before each pass.
 */
final class VectorisedTransformerGraph implements ExampleGraph {

  private static final double LAYER_NORM_EPS = 1e-5;

  private final SameDiff sd = SameDiff.create();
  private final TransformerConfig config;
  private final int rows;
  private final int seqLen;
  private final int segments;
  private final int width;
  private final Map<String, INDArray> sources = new LinkedHashMap<>();
  private final Map<String, INDArray> copies = new LinkedHashMap<>();
  private final Map<String, SDVariable> vars = new LinkedHashMap<>();
  private final SDVariable tokens;
  private final SDVariable hidden3;
  private SDVariable logits;

  /**
   * A graph for {@code rows} examples of {@code segments} sequences of {@code seqLen} tokens each.
   */
  VectorisedTransformerGraph(TransformerWeights weights, Map<String, INDArray> extraParameters, int rows,
      int seqLen, int segments, boolean training) {
    weights.config().architecture().require("the vectorised per-example graph",
        java.util.List.of(org.align4j.core.model.Architecture.Activation.GELU_SIGMOID));
    this.config = weights.config();
    this.rows = rows;
    this.seqLen = seqLen;
    this.segments = segments;
    this.width = segments * seqLen;
    Map<String, INDArray> all = new LinkedHashMap<>(weights.asMap());
    extraParameters.forEach((k, v) -> {
      if (all.putIfAbsent(k, v) != null) {
        throw new IllegalArgumentException("parameter " + k + " already exists");
      }
    });
    for (Map.Entry<String, INDArray> e : all.entrySet()) {
      INDArray source = e.getValue();
      long[] shape = new long[source.rank() + 1];
      shape[0] = rows;
      System.arraycopy(source.shape(), 0, shape, 1, source.rank());
      INDArray copy = Nd4j.create(DataType.FLOAT, shape);
      sources.put(e.getKey(), source);
      copies.put(e.getKey(), copy);
      vars.put(e.getKey(), sd.var("pe_" + e.getKey().replace('.', '_'), copy));
    }
    this.tokens = sd.placeHolder("tokens", DataType.INT, -1, seqLen);
    this.hidden3 = buildTrunk(training && config.dropout() > 0);
    refresh();
  }

  /** Copies every live parameter into each row's copy. */
  void refresh() {
    for (Map.Entry<String, INDArray> e : sources.entrySet()) {
      INDArray source = e.getValue();
      INDArray copy = copies.get(e.getKey());
      copy.reshape(rows, source.length()).putiRowVector(source.reshape(1, source.length()));
    }
  }

  /** Parameter name to its per-row variable. */
  Map<String, SDVariable> variables() {
    return vars;
  }

  int rows() {
    return rows;
  }

  @Override
  public SameDiff sameDiff() {
    return sd;
  }

  @Override
  public int seqLen() {
    return seqLen;
  }

  @Override
  public SDVariable hidden() {
    return sd.reshape(hidden3, -1, config.dModel());
  }

  @Override
  public SDVariable logits() {
    if (logits == null) {
      logits = sd.reshape(sd.mmul(hidden3, vars.get("tok_emb"), false, true, false), -1, config.vocabSize());
    }
    return logits;
  }

  @Override
  public SDVariable tokenLogProbs(SDVariable targets) {
    SDVariable logp = sd.nn.logSoftmax(logits());
    SDVariable oneHot = sd.oneHot(sd.reshape(targets, -1), config.vocabSize(), -1, 1.0, 0.0, DataType.FLOAT);
    return sd.reshape(sd.sum(logp.mul(oneHot), 1), -1, seqLen);
  }

  @Override
  public SDVariable head(String name) {
    SDVariable w = vars.get(name);
    if (w == null || sources.get(name).rank() != 2 || TransformerWeights.names(config).contains(name)) {
      throw new IllegalArgumentException("no extra [d, k] parameter named " + name);
    }
    return sd.reshape(sd.mmul(hidden3, w), -1, sources.get(name).size(1));
  }

  /** A per-row vector parameter [B, n] as [B, 1, n], to broadcast over positions. */
  private SDVariable rowVector(String name) {
    return sd.reshape(vars.get(name), rows, 1, -1);
  }

  private SDVariable buildTrunk(boolean dropout) {
    int d = config.dModel();
    // [rows*k, T] tokens as [rows, k*T]: an example's sequences side by side
    SDVariable exampleTokens = segments == 1 ? tokens : sd.reshape(tokens, rows, width);
    SDVariable oneHot = sd.oneHot(exampleTokens, config.vocabSize(), -1, 1.0, 0.0, DataType.FLOAT);
    SDVariable x = sd.mmul(oneHot, vars.get("tok_emb"));
    SDVariable pos = vars.get("pos_emb");
    if (seqLen < config.contextLength()) {
      pos = sd.slice(pos, new int[] {0, 0, 0}, rows, seqLen, d);
    }
    if (segments > 1) {
      SDVariable[] repeated = new SDVariable[segments];
      Arrays.fill(repeated, pos);
      pos = sd.concat(1, repeated);
    }
    x = maybeDropout(x.add(pos), dropout);
    INDArray maskArray = Nd4j.zeros(DataType.FLOAT, width, width);
    for (int i = 0; i < width; i++) {
      for (int j = 0; j < width; j++) {
        if (j > i || j / seqLen != i / seqLen) {
          maskArray.putScalar(i, j, -1e9);
        }
      }
    }
    SDVariable causalMask = sd.constant("causal_mask", maskArray);
    for (int l = 0; l < config.layers(); l++) {
      String p = "l" + l + ".";
      SDVariable h = layerNorm(x, p + "ln1");
      x = x.add(maybeDropout(attention(h, p, causalMask), dropout));
      SDVariable h2 = layerNorm(x, p + "ln2");
      SDVariable mlp = linear(sd.nn.gelu(linear(h2, p + "mlp.w1", p + "mlp.b1")), p + "mlp.w2", p + "mlp.b2");
      x = x.add(maybeDropout(mlp, dropout));
    }
    return layerNorm(x, "lnf");
  }

  /** [B, T, in] times the per-row [B, in, out] plus the per-row bias: [B, T, out]. */
  private SDVariable linear(SDVariable x, String weight, String bias) {
    return sd.mmul(x, vars.get(weight)).add(rowVector(bias));
  }

  private SDVariable attention(SDVariable h, String p, SDVariable causalMask) {
    int heads = config.heads();
    int hd = config.headDim();
    SDVariable q = splitHeads(linear(h, p + "attn.wq", p + "attn.bq"));
    SDVariable k = splitHeads(linear(h, p + "attn.wk", p + "attn.bk"));
    SDVariable v = splitHeads(linear(h, p + "attn.wv", p + "attn.bv"));
    SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(hd)).add(causalMask);
    SDVariable out = sd.mmul(sd.nn.softmax(scores, -1), v);
    SDVariable merged = sd.reshape(
        sd.permute(sd.reshape(out, rows, heads, width, hd), 0, 2, 1, 3), rows, width, config.dModel());
    return linear(merged, p + "attn.wo", p + "attn.bo");
  }

  /** [B, kT, d] to [B*H, kT, hd]. */
  private SDVariable splitHeads(SDVariable x) {
    int heads = config.heads();
    int hd = config.headDim();
    return sd.reshape(sd.permute(sd.reshape(x, rows, width, heads, hd), 0, 2, 1, 3), -1, width, hd);
  }

  private SDVariable layerNorm(SDVariable x, String prefix) {
    SDVariable mean = sd.mean(x, true, 2);
    SDVariable centred = x.sub(mean);
    SDVariable var = sd.mean(centred.mul(centred), true, 2);
    SDVariable normed = centred.mul(sd.math.rsqrt(var.add(LAYER_NORM_EPS)));
    return normed.mul(rowVector(prefix + ".g")).add(rowVector(prefix + ".b"));
  }

  private SDVariable maybeDropout(SDVariable x, boolean dropout) {
    return dropout ? sd.nn.dropoutInverted(x, 1.0 - config.dropout()) : x;
  }
}
