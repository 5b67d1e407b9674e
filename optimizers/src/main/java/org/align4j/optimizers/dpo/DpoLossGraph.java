package org.align4j.optimizers.dpo;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.model.internal.TransformerGraph;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The policy's training graph for preference pairs: one {@link TransformerGraph} over {@code 2B} rows (the B
 * chosen sequences, then the B rejected ones), the masked per-sequence sums of token log-probabilities, split into
 * chosen and rejected halves by constant one-hot row selections, and the {@link PreferenceLoss}'s SameDiff piece
 * against reference sums fed as placeholders.
 *
 * <p>Placeholders: {@code tokens}, {@code targets} (INT [2B, T]), {@code mask} (FLOAT [2B, T], 1 on response
 * targets), {@code ref_chosen}, {@code ref_rejected} (FLOAT [B], absent for reference-free losses),
 * {@code len_chosen}, {@code len_rejected} (FLOAT [B]). Outputs: {@code loss}, {@code pc}, {@code pr}.
 */
final class DpoLossGraph {

  /** Name of the scalar loss. */
  static final String LOSS = "loss";
  /** Name of the policy's chosen sums [B]. */
  static final String CHOSEN = "pc";
  /** Name of the policy's rejected sums [B]. */
  static final String REJECTED = "pr";

  private final TransformerGraph graph;
  private final int seqLen;
  private final int padId;
  private final boolean referenceFree;

  /** The graph for inputs of {@code seqLen} tokens; dropout when {@code training} and configured. */
  DpoLossGraph(TransformerWeights weights, int seqLen, boolean training, PreferenceLoss loss, int padId) {
    this.graph = TransformerGraph.create(weights, seqLen, training);
    this.seqLen = seqLen;
    this.padId = padId;
    this.referenceFree = loss.referenceFree();
    SameDiff sd = graph.sameDiff();
    SDVariable targets = sd.placeHolder("targets", DataType.INT, -1, seqLen);
    SDVariable mask = sd.placeHolder("mask", DataType.FLOAT, -1, seqLen);
    SDVariable rc = referenceFree ? null : sd.placeHolder("ref_chosen", DataType.FLOAT, -1);
    SDVariable rr = referenceFree ? null : sd.placeHolder("ref_rejected", DataType.FLOAT, -1);
    SDVariable lc = sd.placeHolder("len_chosen", DataType.FLOAT, -1);
    SDVariable lr = sd.placeHolder("len_rejected", DataType.FLOAT, -1);
    SDVariable sums = sd.sum(graph.tokenLogProbs(targets).mul(mask), 1);
    SDVariable halves = sd.reshape(sums, 2, -1);
    SDVariable pc = sd.reshape(sd.mmul(selector(sd, "select_chosen", 0), halves), -1).rename(CHOSEN);
    SDVariable pr = sd.reshape(sd.mmul(selector(sd, "select_rejected", 1), halves), -1).rename(REJECTED);
    SDVariable value = loss.loss(sd, pc, pr, rc, rr, lc, lr).rename(LOSS);
    sd.setLossVariables(value);
  }

  /** The transformer graph. */
  TransformerGraph graph() {
    return graph;
  }

  /**
   * Placeholder values for {@code pairs} with reference sums {@code reference} (same order).
   *
   * @return the placeholders and the number of real (non-padding) input tokens
   */
  Batch batch(List<EncodedPair> pairs, ResponseLogProbs reference) {
    int b = pairs.size();
    int[][] tokens = new int[2 * b][seqLen];
    int[][] targets = new int[2 * b][seqLen];
    float[][] mask = new float[2 * b][seqLen];
    float[] lenChosen = new float[b];
    float[] lenRejected = new float[b];
    long inputTokens = 0;
    for (int i = 0; i < b; i++) {
      EncodedPair p = pairs.get(i);
      inputTokens += fill(p.chosen(), p.responseStart(), tokens[i], targets[i], mask[i]);
      inputTokens += fill(p.rejected(), p.responseStart(), tokens[b + i], targets[b + i], mask[b + i]);
      lenChosen[i] = p.chosenTokens();
      lenRejected[i] = p.rejectedTokens();
    }
    Map<String, INDArray> ph = new HashMap<>();
    ph.put("tokens", Nd4j.createFromArray(tokens));
    ph.put("targets", Nd4j.createFromArray(targets));
    ph.put("mask", Nd4j.createFromArray(mask));
    ph.put("len_chosen", Nd4j.createFromArray(lenChosen));
    ph.put("len_rejected", Nd4j.createFromArray(lenRejected));
    if (!referenceFree) {
      ph.put("ref_chosen", Nd4j.createFromArray(toFloats(reference.chosen())));
      ph.put("ref_rejected", Nd4j.createFromArray(toFloats(reference.rejected())));
    }
    return new Batch(ph, inputTokens);
  }

  /**
   * Placeholders of one step and its count of real input tokens.
   *
   * @param placeholders the values to feed
   * @param inputTokens non-padding input tokens over all 2B rows
   */
  record Batch(Map<String, INDArray> placeholders, long inputTokens) {}

  private int fill(int[] s, int responseStart, int[] tokens, int[] targets, float[] mask) {
    int len = s.length - 1;
    Arrays.fill(tokens, padId);
    for (int t = 0; t < len; t++) {
      tokens[t] = s[t];
      targets[t] = s[t + 1];
      mask[t] = t + 1 >= responseStart ? 1f : 0f;
    }
    return len;
  }

  private static SDVariable selector(SameDiff sd, String name, int row) {
    INDArray m = Nd4j.zeros(DataType.FLOAT, 1, 2);
    m.putScalar(0, row, 1.0);
    return sd.constant(name, m);
  }

  private static float[] toFloats(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }
}
