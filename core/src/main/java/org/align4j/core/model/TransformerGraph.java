package org.align4j.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transformer as a SameDiff training graph over a fixed sequence length and a variable batch size. The graph's
 * variables are bound to the arrays of a {@link TransformerWeights}, so in-place updates of the weights are seen by
 * the graph and gradients are keyed by weight name.
 *
 * <p>Built around the known SameDiff 1.0.0-M2.1 pitfalls: embeddings are a one-hot matrix product (not
 * {@code gather}), causal attention is written by hand with an additive mask constant, layer norm is written by
 * hand, and log-softmax is taken over the last dimension only.
 *
 * <p>The token placeholder is {@code tokens} (INT, [B, T]). Trainers attach their heads and losses to
 * {@link #hidden()}, {@link #logits()} or {@link #tokenLogProbs(SDVariable)} and must call
 * {@code sameDiff().setLossVariables(...)}.
 */
public final class TransformerGraph {

  /** GELU's tanh approximation: {@code sqrt(2 / pi)}. */
  private static final double GELU_TANH_SCALE = Math.sqrt(2 / Math.PI);

  private final SameDiff sd;
  private final TransformerConfig config;
  private final int seqLen;
  private final Map<String, SDVariable> params = new LinkedHashMap<>();
  private final SDVariable tokens;
  private final SDVariable hidden;
  private SDVariable logits;

  private TransformerGraph(TransformerWeights weights, int seqLen, boolean training) {
    this.config = weights.config();
    this.seqLen = seqLen;
    this.sd = SameDiff.create();
    for (Map.Entry<String, INDArray> e : weights.asMap().entrySet()) {
      params.put(e.getKey(), sd.var(variableName(e.getKey()), e.getValue()));
    }
    this.tokens = sd.placeHolder("tokens", DataType.INT, -1, seqLen);
    this.hidden = buildTrunk(training && config.dropout() > 0);
  }

  /**
   * Builds the graph for sequences of exactly {@code seqLen} tokens; dropout (if configured) is applied when
   * {@code training}.
   */
  public static TransformerGraph create(TransformerWeights weights, int seqLen, boolean training) {
    weights.config().architecture().require("the SameDiff training graph",
        List.of(Architecture.Activation.GELU_SIGMOID, Architecture.Activation.GELU_TANH));
    if (seqLen < 1 || seqLen > weights.config().contextLength()) {
      throw new IllegalArgumentException(
          "seqLen must be in [1, " + weights.config().contextLength() + "], got " + seqLen);
    }
    return new TransformerGraph(weights, seqLen, training);
  }

  /** The SameDiff instance. */
  public SameDiff sameDiff() {
    return sd;
  }

  /** The model configuration. */
  public TransformerConfig config() {
    return config;
  }

  /** The fixed sequence length of this graph. */
  public int seqLen() {
    return seqLen;
  }

  /** The {@code tokens} placeholder (INT, [B, T]). */
  public SDVariable tokens() {
    return tokens;
  }

  /** Final hidden states after the last layer norm, [B*T, d] (row b*T + t). */
  public SDVariable hidden() {
    return hidden;
  }

  /** Next-token logits, [B*T, V]. */
  public SDVariable logits() {
    if (logits == null) {
      logits = sd.mmul("logits", hidden, params.get("tok_emb"), false, true, false);
    }
    return logits;
  }

  /**
   * Log-probability of each target token, [B, T]: element (b, t) is log p(targets[b, t] | tokens[b, 0..t]).
   *
   * @param targets an INT variable of shape [B, T]
   */
  public SDVariable tokenLogProbs(SDVariable targets) {
    SDVariable logp = sd.nn.logSoftmax(logits());
    SDVariable oneHot = sd.oneHot(sd.reshape(targets, -1), config.vocabSize(), -1, 1.0, 0.0, DataType.FLOAT);
    SDVariable picked = sd.sum(logp.mul(oneHot), 1);
    return sd.reshape(picked, -1, seqLen);
  }

  /** The weight name of every trainable variable, in weight order (extra parameters last). */
  public List<String> parameterNames() {
    return List.copyOf(params.keySet());
  }

  /**
   * Adds a trainable parameter beyond the transformer's weights (for example a reward or value head), bound to
   * {@code array} so that in-place updates are seen; {@link #gradients} then also returns its gradient under
   * {@code name}.
   *
   * @throws IllegalArgumentException when {@code name} is already a parameter
   */
  public SDVariable addParameter(String name, INDArray array) {
    if (params.containsKey(name)) {
      throw new IllegalArgumentException("parameter " + name + " already exists");
    }
    SDVariable v = sd.var(variableName(name), array);
    params.put(name, v);
    return v;
  }

  /**
   * The values of {@code outputs} and the gradients of the graph's loss variables with respect to every weight,
   * from one forward and backward pass.
   *
   * @param placeholders values of every placeholder the loss needs
   * @param outputs names of variables whose values to return (for example the loss)
   */
  public Gradients gradients(Map<String, INDArray> placeholders, String... outputs) {
    SameDiffs.createGradientsQuietly(sd);
    List<String> vars = params.values().stream().map(SDVariable::name).toList();
    OutAndGrad result = sd.calculateGradientsAndOutputs(placeholders, List.of(outputs), vars);
    Map<String, INDArray> byWeight = new LinkedHashMap<>();
    for (Map.Entry<String, SDVariable> e : params.entrySet()) {
      byWeight.put(e.getKey(), result.getGradients().get(e.getValue().name()));
    }
    return new Gradients(byWeight, result.getOutputs());
  }

  /**
   * Gradients keyed by weight name, and the requested output values.
   *
   * @param byWeight the gradient of each weight
   * @param outputs the requested outputs by variable name
   */
  public record Gradients(Map<String, INDArray> byWeight, Map<String, INDArray> outputs) {}

  private static String variableName(String weightName) {
    return "w_" + weightName.replace('.', '_');
  }

  private SDVariable buildTrunk(boolean dropout) {
    int d = config.dModel();
    int v = config.vocabSize();
    SDVariable oneHot = sd.oneHot(sd.reshape(tokens, -1), v, -1, 1.0, 0.0, DataType.FLOAT);
    SDVariable emb = oneHot.mmul(params.get("tok_emb"));
    SDVariable pos = params.get("pos_emb");
    if (seqLen < config.contextLength()) {
      pos = sd.slice(pos, new int[] {0, 0}, seqLen, d);
    }
    SDVariable x = sd.reshape(sd.reshape(emb, -1, seqLen, d).add(pos), -1, d);
    x = maybeDropout(x, dropout);
    INDArray maskArray = Nd4j.zeros(DataType.FLOAT, seqLen, seqLen);
    for (int i = 0; i < seqLen; i++) {
      for (int j = i + 1; j < seqLen; j++) {
        maskArray.putScalar(i, j, -1e9);
      }
    }
    SDVariable causalMask = sd.constant("causal_mask", maskArray);
    for (int l = 0; l < config.layers(); l++) {
      String p = "l" + l + ".";
      SDVariable h = layerNorm(x, p + "ln1");
      SDVariable attn = attention(h, p, causalMask);
      x = x.add(maybeDropout(attn, dropout));
      SDVariable h2 = layerNorm(x, p + "ln2");
      SDVariable mlp = gelu(h2.mmul(params.get(p + "mlp.w1")).add(params.get(p + "mlp.b1")))
          .mmul(params.get(p + "mlp.w2")).add(params.get(p + "mlp.b2"));
      x = x.add(maybeDropout(mlp, dropout));
    }
    return layerNorm(x, "lnf");
  }

  /** The configured GELU: ND4J's sigmoid form, or the tanh approximation built from elementary operations. */
  private SDVariable gelu(SDVariable u) {
    if (config.architecture().activation() == Architecture.Activation.GELU_SIGMOID) {
      return sd.nn.gelu(u);
    }
    SDVariable inner = u.add(u.mul(u).mul(u).mul(0.044715)).mul(GELU_TANH_SCALE);
    return u.mul(sd.math.tanh(inner).add(1.0)).mul(0.5);
  }

  private SDVariable attention(SDVariable h, String p, SDVariable causalMask) {
    int heads = config.heads();
    int hd = config.headDim();
    SDVariable q = splitHeads(h.mmul(params.get(p + "attn.wq")).add(params.get(p + "attn.bq")));
    SDVariable k = splitHeads(h.mmul(params.get(p + "attn.wk")).add(params.get(p + "attn.bk")));
    SDVariable v = splitHeads(h.mmul(params.get(p + "attn.wv")).add(params.get(p + "attn.bv")));
    SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(hd)).add(causalMask);
    SDVariable weights = sd.nn.softmax(scores, -1);
    SDVariable out = sd.mmul(weights, v);
    SDVariable merged = sd.reshape(
        sd.permute(sd.reshape(out, -1, heads, seqLen, hd), 0, 2, 1, 3), -1, config.dModel());
    return merged.mmul(params.get(p + "attn.wo")).add(params.get(p + "attn.bo"));
  }

  /** [B*T, d] to [B*H, T, hd]. */
  private SDVariable splitHeads(SDVariable x) {
    int heads = config.heads();
    int hd = config.headDim();
    return sd.reshape(sd.permute(sd.reshape(x, -1, seqLen, heads, hd), 0, 2, 1, 3), -1, seqLen, hd);
  }

  private SDVariable layerNorm(SDVariable x, String prefix) {
    SDVariable mean = sd.mean(x, true, 1);
    SDVariable centred = x.sub(mean);
    SDVariable var = sd.mean(centred.mul(centred), true, 1);
    SDVariable normed = centred.mul(sd.math.rsqrt(var.add(config.architecture().normEps())));
    return normed.mul(params.get(prefix + ".g")).add(params.get(prefix + ".b"));
  }

  private SDVariable maybeDropout(SDVariable x, boolean dropout) {
    return dropout ? sd.nn.dropoutInverted(x, 1.0 - config.dropout()) : x;
  }
}
