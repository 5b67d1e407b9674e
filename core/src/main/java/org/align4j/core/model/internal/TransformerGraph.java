package org.align4j.core.model.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.Architecture;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerWeights;
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
      String output = config.architecture().tiedOutput() ? "tok_emb" : "lm_head";
      logits = sd.mmul("logits", hidden, params.get(output), false, true, false);
    }
    return logits;
  }

  /**
   * Log-probability of each target token, [B, T]: element (b, t) is log p(targets[b, t] | tokens[b, 0..t]).
   *
   * @param targets an INT variable of shape [B, T]
   */
  public SDVariable tokenLogProbs(SDVariable targets) {
    return tokenLogProbs(sd, logits(), targets, config.vocabSize(), seqLen);
  }

  /**
   * Log-probability of each target token under {@code logits} ([B*T, V], row {@code b*T + t}), [B, T], as
   * {@code logSoftmax} times a one-hot of the targets (SameDiff's sparse cross-entropy has a wrong gradient).
   *
   * @param targets an INT variable of shape [B, T]
   */
  public static SDVariable tokenLogProbs(SameDiff sd, SDVariable logits, SDVariable targets, int vocabSize,
      int seqLen) {
    SDVariable logp = sd.nn.logSoftmax(logits);
    SDVariable oneHot = sd.oneHot(sd.reshape(targets, -1), vocabSize, -1, 1.0, 0.0, DataType.FLOAT);
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
    SDVariable x = emb;
    if (!config.architecture().rotary()) {
      SDVariable pos = params.get("pos_emb");
      if (seqLen < config.contextLength()) {
        pos = sd.slice(pos, new int[] {0, 0}, seqLen, d);
      }
      x = sd.reshape(sd.reshape(emb, -1, seqLen, d).add(pos), -1, d);
    }
    x = maybeDropout(x, dropout);
    INDArray maskArray = Nd4j.zeros(DataType.FLOAT, seqLen, seqLen);
    for (int i = 0; i < seqLen; i++) {
      for (int j = i + 1; j < seqLen; j++) {
        maskArray.putScalar(i, j, -1e9);
      }
    }
    SDVariable causalMask = sd.constant("causal_mask", maskArray);
    GraphConstants constants = new GraphConstants(sd, config, seqLen);
    for (int l = 0; l < config.layers(); l++) {
      String p = "l" + l + ".";
      SDVariable h = norm(x, p + "ln1");
      SDVariable attn = attention(h, p, causalMask, constants);
      x = x.add(maybeDropout(attn, dropout));
      SDVariable h2 = norm(x, p + "ln2");
      SDVariable mlp;
      if (config.architecture().activation() == Architecture.Activation.SWIGLU) {
        SDVariable gate = linear(h2, p + "mlp.w1", p + "mlp.b1");
        mlp = gate.mul(sd.nn.sigmoid(gate)).mul(h2.mmul(params.get(p + "mlp.w3")));
      } else {
        mlp = gelu(linear(h2, p + "mlp.w1", p + "mlp.b1"));
      }
      x = x.add(maybeDropout(linear(mlp, p + "mlp.w2", p + "mlp.b2"), dropout));
    }
    return norm(x, "lnf");
  }

  /** {@code x W + b}, without the bias when the architecture has none. */
  private SDVariable linear(SDVariable x, String weight, String bias) {
    SDVariable y = x.mmul(params.get(weight));
    return params.containsKey(bias) ? y.add(params.get(bias)) : y;
  }

  /** The configured GELU: ND4J's sigmoid form, or the tanh approximation built from elementary operations. */
  private SDVariable gelu(SDVariable u) {
    if (config.architecture().activation() == Architecture.Activation.GELU_SIGMOID) {
      return sd.nn.gelu(u);
    }
    SDVariable inner = u.add(u.mul(u).mul(u).mul(0.044715)).mul(GELU_TANH_SCALE);
    return u.mul(sd.math.tanh(inner).add(1.0)).mul(0.5);
  }

  private SDVariable attention(SDVariable h, String p, SDVariable causalMask, GraphConstants constants) {
    int heads = config.heads();
    int hd = config.headDim();
    SDVariable q = constants.rotate(linear(h, p + "attn.wq", p + "attn.bq"));
    SDVariable k = constants.rotate(constants.shareKv(linear(h, p + "attn.wk", p + "attn.bk")));
    SDVariable v = constants.shareKv(linear(h, p + "attn.wv", p + "attn.bv"));
    q = splitHeads(q);
    k = splitHeads(k);
    v = splitHeads(v);
    SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(hd)).add(causalMask);
    SDVariable weights = sd.nn.softmax(scores, -1);
    SDVariable out = sd.mmul(weights, v);
    SDVariable merged = sd.reshape(
        sd.permute(sd.reshape(out, -1, heads, seqLen, hd), 0, 2, 1, 3), -1, config.dModel());
    return linear(merged, p + "attn.wo", p + "attn.bo");
  }

  /** [B*T, d] to [B*H, T, hd]. */
  private SDVariable splitHeads(SDVariable x) {
    int heads = config.heads();
    int hd = config.headDim();
    return sd.reshape(sd.permute(sd.reshape(x, -1, seqLen, heads, hd), 0, 2, 1, 3), -1, seqLen, hd);
  }

  private SDVariable norm(SDVariable x, String prefix) {
    if (config.architecture().norm() == Architecture.Norm.RMS) {
      SDVariable ms = sd.mean(x.mul(x), true, 1);
      return x.mul(sd.math.rsqrt(ms.add(config.architecture().normEps()))).mul(params.get(prefix + ".g"));
    }
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
