package org.align4j.optimizers.dp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.TokenCrossEntropy;
import org.align4j.core.model.TransformerBackprop;
import org.align4j.core.model.TransformerWeights;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-example gradients of {@link SequenceNllLoss} (DP SFT) by a loop of one-example passes through
 * {@link TransformerBackprop}'s hand-written forward and backward passes: the memory of one gradient, each example
 * at its own length (no padding to the longest), and no SameDiff session. The transformer's weights only (no extra
 * parameters). Not thread-safe.
 */
public final class BackpropPerExampleGradients implements PerExampleGradients<TokenSequence> {

  private final TransformerBackprop backprop;
  private final List<String> names;
  private final boolean training;

  /**
   * Per-example gradients over {@code weights} (the live arrays, which the optimiser updates between steps).
   *
   * @param training whether dropout (if the model has any) is applied
   */
  public BackpropPerExampleGradients(TransformerWeights weights, boolean training) {
    this.backprop = new TransformerBackprop(weights);
    this.names = TransformerWeights.names(weights.config());
    this.training = training;
  }

  @Override
  public List<String> parameterNames() {
    return names;
  }

  @Override
  public int physicalBatchSize() {
    return 1;
  }

  /** One example's loss (the mean NLL of its learned tokens) and gradient. */
  private TransformerBackprop.Step one(TokenSequence s) {
    int len = s.tokens().length - 1;
    int[][] tokens = {Arrays.copyOf(s.tokens(), len)};
    int[] targets = Arrays.copyOfRange(s.tokens(), 1, len + 1);
    float[] weights = new float[len];
    float w = 1f / s.lossTokens();
    for (int p = s.lossStart() - 1; p < len; p++) {
      weights[p] = w;
    }
    return backprop.gradients(tokens, training, pass -> {
      TokenCrossEntropy.Result ce = TokenCrossEntropy.of(pass.logits(), targets, weights);
      return new TransformerBackprop.LossGradient(ce.loss(), null, ce.dLogits());
    });
  }

  @Override
  public List<Map<String, INDArray>> compute(List<TokenSequence> examples) {
    List<Map<String, INDArray>> out = new ArrayList<>(examples.size());
    for (TokenSequence e : examples) {
      out.add(one(e).gradients());
    }
    return out;
  }

  @Override
  public ClipStats accumulateClipped(List<TokenSequence> examples, PerExampleClipping clipping,
      Map<String, INDArray> sum) {
    ClipStats stats = ClipStats.EMPTY;
    for (TokenSequence e : examples) {
      TransformerBackprop.Step step = one(e);
      stats = stats.plus(clipping.addClipped(step.gradients(), step.loss(), sum));
    }
    return stats;
  }
}
