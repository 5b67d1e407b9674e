package org.align4j.core.dp;

import java.util.List;
import java.util.Map;
import org.align4j.core.util.Args;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The next-token loss of SFT per example: the mean negative log-likelihood of a sequence's learned tokens,
 * {@code -(1/n_b) sum_t mask[b, t] log p(s[t+1] | s[..t])}. Normalising by each sequence's own token count keeps
 * a long sequence from weighing more than a short one (clipping bounds each example's influence anyway).
 *
 * <p>Placeholders: {@code tokens} and {@code targets} (INT [B, T]) and {@code weights} (FLOAT [B, T], the mask
 * divided by the row's token count; zero on padding rows).
 */
public final class SequenceNllLoss implements PerExampleLoss<TokenSequence> {

  @Override
  public SDVariable build(ExampleGraph graph) {
    SameDiff sd = graph.sameDiff();
    int t = graph.seqLen();
    SDVariable targets = sd.placeHolder("targets", DataType.INT, -1, t);
    SDVariable weights = sd.placeHolder("weights", DataType.FLOAT, -1, t);
    return sd.sum(graph.tokenLogProbs(targets).mul(weights), 1).neg();
  }

  @Override
  public Map<String, INDArray> placeholders(List<TokenSequence> examples, int rows, int seqLen) {
    Args.check(rows >= examples.size(), "rows must be >= %s, got %s", examples.size(), rows);
    int[][] tokens = new int[rows][seqLen];
    int[][] targets = new int[rows][seqLen];
    float[][] weights = new float[rows][seqLen];
    for (int i = 0; i < examples.size(); i++) {
      TokenSequence s = examples.get(i);
      int len = inputLength(s);
      Args.check(len <= seqLen, "sequence needs %s input tokens but the graph holds %s", len, seqLen);
      float w = 1f / s.lossTokens();
      for (int p = 0; p < len; p++) {
        tokens[i][p] = s.tokens()[p];
        targets[i][p] = s.tokens()[p + 1];
        if (p + 1 >= s.lossStart()) {
          weights[i][p] = w;
        }
      }
    }
    return Map.of(
        "tokens", Nd4j.createFromArray(tokens),
        "targets", Nd4j.createFromArray(targets),
        "weights", Nd4j.createFromArray(weights));
  }

  @Override
  public int inputLength(TokenSequence example) {
    return example.tokens().length - 1;
  }
}
