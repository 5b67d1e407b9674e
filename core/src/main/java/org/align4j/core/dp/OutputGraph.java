package org.align4j.core.dp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.internal.SameDiffs;
import org.align4j.core.model.internal.TransformerGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An {@link ExampleGraph} whose hidden states, logits and head outputs are inputs filled from a hand-written
 * forward pass: the loss is differentiated by SameDiff with respect to those outputs only, and the hand-written
 * backward pass takes it from there to the weights. Only the outputs the loss reads become inputs; they are
 * SameDiff variables (SameDiff differentiates with respect to variables only), whose arrays {@link #set} replaces
 * before every pass. One graph per sequence length T.
 */
final class OutputGraph implements ExampleGraph {

  /** The name of the summed loss of the graph's examples. */
  static final String LOSS = "bp_loss";
  /** The placeholder of the hidden states. */
  static final String HIDDEN = "bp_hidden";
  /** The placeholder of the logits. */
  static final String LOGITS = "bp_logits";
  private static final String HEAD_PREFIX = "bp_head_";
  private static final String PARAMETER_PREFIX = "bp_param_";

  private final SameDiff sd = SameDiff.create();
  private final TransformerConfig config;
  private final Map<String, INDArray> heads;
  private final int seqLen;
  private final Map<String, SDVariable> inputs = new LinkedHashMap<>();
  private final Map<String, SDVariable> parameters = new LinkedHashMap<>();

  /**
   * @param heads the extra trainable parameters by name (the live arrays): [d, k] heads, or parameters a loss
   *     reads directly
   * @param seqLen T
   */
  OutputGraph(TransformerConfig config, Map<String, INDArray> heads, int seqLen) {
    this.config = config;
    this.heads = heads;
    this.seqLen = seqLen;
  }

  /**
   * Builds {@code loss}'s graph and marks as the loss the sum of its examples' losses ({@code perExample}, for
   * per-example clipping) or its batch loss ({@link PerExampleLoss#batchLoss}, for plain training).
   */
  <E> OutputGraph build(PerExampleLoss<E> loss, boolean perExample) {
    SDVariable value = perExample ? sd.sum(loss.build(this)) : loss.batchLoss(this);
    sd.setLossVariables(value.rename(LOSS));
    SameDiffs.createGradientsQuietly(sd);
    return this;
  }

  /** The placeholder name of head {@code name}'s output. */
  static String headInput(String name) {
    return HEAD_PREFIX + name;
  }

  /** The names of the outputs the loss reads (inputs to fill and to differentiate), in order of use. */
  List<String> inputs() {
    return List.copyOf(inputs.keySet());
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
    return input(HIDDEN, config.dModel());
  }

  @Override
  public SDVariable logits() {
    return input(LOGITS, config.vocabSize());
  }

  @Override
  public SDVariable tokenLogProbs(SDVariable targets) {
    return TransformerGraph.tokenLogProbs(sd, logits(), targets, config.vocabSize(), seqLen);
  }

  @Override
  public SDVariable head(String name) {
    INDArray w = heads.get(name);
    if (w == null) {
      throw new IllegalArgumentException("no extra parameter named " + name);
    }
    return input(headInput(name), w.size(1));
  }

  /** The extra parameters the loss reads directly: parameter name to graph variable name. */
  Map<String, String> parameters() {
    Map<String, String> out = new LinkedHashMap<>();
    parameters.forEach((name, v) -> out.put(name, v.name()));
    return out;
  }

  @Override
  public SDVariable parameter(String name) {
    INDArray w = heads.get(name);
    if (w == null) {
      throw new IllegalArgumentException("no extra parameter named " + name);
    }
    return parameters.computeIfAbsent(name, n -> sd.var(PARAMETER_PREFIX + n, w));
  }

  /** Sets input {@code name} to {@code value} ([B*T, width], of this pass). */
  void set(String name, INDArray value) {
    inputs.get(name).setArray(value);
  }

  private SDVariable input(String name, long width) {
    return inputs.computeIfAbsent(name, n -> sd.var(n, Nd4j.zeros(DataType.FLOAT, 1, width)));
  }
}
