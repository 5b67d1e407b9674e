package org.align4j.optimizers.ppo;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.model.internal.TransformerGraph;
import org.align4j.optimizers.rl.SamplingLogProbs;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A forward-only transformer graph with what a rollout reads from the policy or the reference: the
 * log-probability of each target token and the entropy of each next-token distribution, both of the sampling
 * distribution ({@link SamplingLogProbs}: logits divided by the temperature, with the tokens the sampler never
 * picks removed), and optionally the value head {@code hidden·w + b} on the final hidden states. Positions are
 * input positions: element {@code (b, t)} is about predicting {@code targets[b, t]} from {@code tokens[b, 0..t]}.
 * The update's loss is {@link PolicyRolloutLoss}.
 */
final class PpoGraph {

  static final String LOGP = "ppo_logp";
  static final String ENTROPY = "ppo_entropy";
  static final String VALUES = "ppo_values";
  static final String VALUE_WEIGHT = "value_head.w";
  static final String VALUE_BIAS = "value_head.b";

  /** Rows per forward pass outside training. */
  private static final int FORWARD_BATCH = 64;

  private final TransformerGraph graph;
  private final int seqLen;
  private final boolean hasValues;

  private PpoGraph(TransformerWeights weights, Map<String, INDArray> valueHead, int seqLen,
      SamplingLogProbs sampling) {
    this.graph = TransformerGraph.create(weights, seqLen, false);
    this.seqLen = seqLen;
    this.hasValues = valueHead != null;
    SameDiff sd = graph.sameDiff();
    SDVariable targets = sd.placeHolder("targets", DataType.INT, -1, seqLen);
    SamplingLogProbs.Outputs q = sampling.build(sd, graph.logits(), targets, seqLen);
    q.logProbs().rename(LOGP);
    q.entropy().rename(ENTROPY);
    if (hasValues) {
      SDVariable w = graph.addParameter(VALUE_WEIGHT, valueHead.get(VALUE_WEIGHT));
      SDVariable b = graph.addParameter(VALUE_BIAS, valueHead.get(VALUE_BIAS));
      sd.reshape(graph.hidden().mmul(w).add(b), -1, seqLen).rename(VALUES);
    }
  }

  /** The policy's graph: log-probabilities, entropy, and values when {@code valueHead} is not null. */
  static PpoGraph policy(TransformerWeights weights, Map<String, INDArray> valueHead, int seqLen,
      SamplingLogProbs sampling) {
    return new PpoGraph(weights, valueHead, seqLen, sampling);
  }

  /** A frozen model's graph: log-probabilities and entropy only. */
  static PpoGraph reference(TransformerWeights weights, int seqLen, SamplingLogProbs sampling) {
    return new PpoGraph(weights, null, seqLen, sampling);
  }

  /** The fixed input length. */
  int seqLen() {
    return seqLen;
  }

  /**
   * Log-probabilities, entropies and (when there is a value head) values for every row, without gradients.
   *
   * @return {@code [N][seqLen]} arrays keyed by {@link #LOGP}, {@link #ENTROPY}, {@link #VALUES}
   */
  Map<String, float[][]> forward(int[][] tokens, int[][] targets) {
    List<String> names = hasValues ? List.of(LOGP, ENTROPY, VALUES) : List.of(LOGP, ENTROPY);
    Map<String, float[][]> out = new HashMap<>();
    for (String name : names) {
      out.put(name, new float[tokens.length][]);
    }
    for (int start = 0; start < tokens.length; start += FORWARD_BATCH) {
      int end = Math.min(tokens.length, start + FORWARD_BATCH);
      Map<String, INDArray> ph = Map.of(
          "tokens", Nd4j.createFromArray(Arrays.copyOfRange(tokens, start, end)),
          "targets", Nd4j.createFromArray(Arrays.copyOfRange(targets, start, end)));
      Map<String, INDArray> result = graph.sameDiff().output(ph, names);
      for (String name : names) {
        float[][] rows = result.get(name).toFloatMatrix();
        System.arraycopy(rows, 0, out.get(name), start, rows.length);
      }
    }
    return out;
  }
}
