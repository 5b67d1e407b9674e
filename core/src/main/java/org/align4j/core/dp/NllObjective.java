package org.align4j.core.dp;

import java.util.Arrays;
import java.util.List;
import org.align4j.core.model.internal.TokenCrossEntropy;
import org.align4j.core.model.internal.TransformerBackprop;

/**
 * {@link SequenceNllLoss} written by hand for the hand-written pass: each sequence right-padded to the longest of
 * its batch, the loss the sum over sequences of the mean NLL of their learned tokens ({@link TokenCrossEntropy},
 * which gives the gradient of the logits directly, without a graph).
 */
final class NllObjective implements BatchObjective<TokenSequence> {

  @Override
  public int rowsPerExample() {
    return 1;
  }

  @Override
  public Prepared prepare(List<TokenSequence> examples) {
    int t = examples.stream().mapToInt(s -> s.tokens().length - 1).max().orElseThrow();
    int[][] tokens = new int[examples.size()][t];
    int[] targets = new int[examples.size() * t];
    float[] weights = new float[examples.size() * t];
    for (int i = 0; i < examples.size(); i++) {
      TokenSequence s = examples.get(i);
      int len = s.tokens().length - 1;
      System.arraycopy(s.tokens(), 0, tokens[i], 0, len);
      System.arraycopy(s.tokens(), 1, targets, i * t, len);
      Arrays.fill(weights, i * t + s.lossStart() - 1, i * t + len, 1f / s.lossTokens());
    }
    return new Prepared(tokens, pass -> {
      TokenCrossEntropy.Result ce = TokenCrossEntropy.of(pass.logits(), targets, weights);
      return new TransformerBackprop.LossGradient(ce.loss(), null, ce.dLogits());
    });
  }
}
