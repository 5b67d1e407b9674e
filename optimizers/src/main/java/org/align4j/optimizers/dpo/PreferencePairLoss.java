package org.align4j.optimizers.dpo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.align4j.core.dp.ExampleGraph;
import org.align4j.core.dp.PerExampleLoss;
import org.align4j.core.util.Args;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The loss of one preference pair for a policy (DPO, IPO and the rest of {@link PreferenceLoss}'s per-pair
 * family): the policy's summed response log-probabilities of the pair's two sequences (two graph rows, chosen then
 * rejected; {@link #rowsPerExample()} = 2) against the reference's, fed as placeholders. The one DPO objective:
 * plain training minimises its batch mean ({@link #batchLoss}, which also carries the NLL term of
 * {@link PreferenceLoss#nllWeight()}, a token mean over the whole batch), private training clips each pair's
 * {@link #build} loss. The batch-coupled AOT losses have no per-pair form and are refused; so is a positive NLL
 * weight for the per-pair form, where one pair's loss would depend on the others and per-pair clipping would no
 * longer bound a pair's influence.
 *
 * <p>Placeholders: {@code tokens}, {@code po_targets} (INT [2B, T]), {@code po_mask} (FLOAT [2B, T], 1 on response
 * targets), {@code po_ref_chosen}, {@code po_ref_rejected} (absent when reference-free), {@code po_len_chosen},
 * {@code po_len_rejected} and {@code po_valid} (FLOAT [B]; 0 on padding pairs, whose loss is then exactly 0).
 * Outputs ({@link #outputs()}): the policy's sums {@value #CHOSEN} and {@value #REJECTED} ([B]).
 */
public final class PreferencePairLoss implements PerExampleLoss<PolicyPair> {

  /** The output of the policy's summed log-probabilities of the chosen responses. */
  public static final String CHOSEN = "po_chosen";
  /** The output of the policy's summed log-probabilities of the rejected responses. */
  public static final String REJECTED = "po_rejected";

  private final PreferenceLoss loss;

  /**
   * The objective of {@code loss}.
   *
   * @throws IllegalArgumentException for a batch-coupled loss type
   */
  public PreferencePairLoss(PreferenceLoss loss) {
    this.loss = Objects.requireNonNull(loss, "loss");
    Args.check(!loss.type().isBatchCoupled(), "loss type %s sorts over the batch and has no per-pair form",
        loss.type());
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException for a positive NLL weight
   */
  @Override
  public SDVariable build(ExampleGraph graph) {
    Args.check(loss.nllWeight() == 0,
        "nllWeight must be 0 for private training (the NLL term is a mean over the batch), got %s", loss.nllWeight());
    return pairLosses(graph);
  }

  /** The mean of the pairs' losses, with the NLL term over the whole batch. */
  @Override
  public SDVariable batchLoss(ExampleGraph graph) {
    return graph.sameDiff().mean(pairLosses(graph));
  }

  @Override
  public List<String> outputs() {
    return List.of(CHOSEN, REJECTED);
  }

  private SDVariable pairLosses(ExampleGraph graph) {
    SameDiff sd = graph.sameDiff();
    int t = graph.seqLen();
    SDVariable targets = sd.placeHolder("po_targets", DataType.INT, -1, t);
    SDVariable mask = sd.placeHolder("po_mask", DataType.FLOAT, -1, t);
    SDVariable rc = loss.referenceFree() ? null : sd.placeHolder("po_ref_chosen", DataType.FLOAT, -1);
    SDVariable rr = loss.referenceFree() ? null : sd.placeHolder("po_ref_rejected", DataType.FLOAT, -1);
    SDVariable lc = sd.placeHolder("po_len_chosen", DataType.FLOAT, -1);
    SDVariable lr = sd.placeHolder("po_len_rejected", DataType.FLOAT, -1);
    SDVariable valid = sd.placeHolder("po_valid", DataType.FLOAT, -1);
    // [2B] row sums, as [B, 2]: column 0 the chosen sequence, column 1 the rejected one
    SDVariable sums = sd.reshape(sd.sum(graph.tokenLogProbs(targets).mul(mask), 1), -1, 2);
    SDVariable pc = sd.reshape(sd.mmul(sums, column(sd, "po_take_chosen", 0)), -1).rename(CHOSEN);
    SDVariable pr = sd.reshape(sd.mmul(sums, column(sd, "po_take_rejected", 1)), -1).rename(REJECTED);
    return loss.perExample(sd, pc, pr, rc, rr, lc, lr).mul(valid);
  }

  @Override
  public int rowsPerExample() {
    return 2;
  }

  @Override
  public Map<String, INDArray> placeholders(List<PolicyPair> examples, int rows, int seqLen) {
    Args.check(rows >= examples.size(), "rows must be >= %s, got %s", examples.size(), rows);
    int[][] tokens = new int[2 * rows][seqLen];
    int[][] targets = new int[2 * rows][seqLen];
    float[][] mask = new float[2 * rows][seqLen];
    float[] refChosen = new float[rows];
    float[] refRejected = new float[rows];
    float[] lenChosen = new float[rows];
    float[] lenRejected = new float[rows];
    float[] valid = new float[rows];
    for (int i = 0; i < examples.size(); i++) {
      PolicyPair p = examples.get(i);
      Args.check(p.inputLength() <= seqLen, "pair needs %s input tokens but the graph holds %s", p.inputLength(),
          seqLen);
      fill(p.chosen(), p.responseStart(), tokens[2 * i], targets[2 * i], mask[2 * i]);
      fill(p.rejected(), p.responseStart(), tokens[2 * i + 1], targets[2 * i + 1], mask[2 * i + 1]);
      refChosen[i] = (float) p.referenceChosen();
      refRejected[i] = (float) p.referenceRejected();
      lenChosen[i] = p.chosenTokens();
      lenRejected[i] = p.rejectedTokens();
      valid[i] = 1f;
    }
    Map<String, INDArray> ph = new HashMap<>();
    ph.put("tokens", Nd4j.createFromArray(tokens));
    ph.put("po_targets", Nd4j.createFromArray(targets));
    ph.put("po_mask", Nd4j.createFromArray(mask));
    ph.put("po_len_chosen", Nd4j.createFromArray(lenChosen));
    ph.put("po_len_rejected", Nd4j.createFromArray(lenRejected));
    ph.put("po_valid", Nd4j.createFromArray(valid));
    if (!loss.referenceFree()) {
      ph.put("po_ref_chosen", Nd4j.createFromArray(refChosen));
      ph.put("po_ref_rejected", Nd4j.createFromArray(refRejected));
    }
    return ph;
  }

  @Override
  public int inputLength(PolicyPair example) {
    return example.inputLength();
  }

  private static void fill(int[] s, int responseStart, int[] tokens, int[] targets, float[] mask) {
    for (int t = 0; t < s.length - 1; t++) {
      tokens[t] = s[t];
      targets[t] = s[t + 1];
      mask[t] = t + 1 >= responseStart ? 1f : 0f;
    }
  }

  private static SDVariable column(SameDiff sd, String name, int row) {
    INDArray m = Nd4j.zeros(DataType.FLOAT, 2, 1);
    m.putScalar(row, 0, 1.0);
    return sd.constant(name, m);
  }
}
