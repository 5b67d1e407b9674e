package org.align4j.optimizers.dp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.TokenCrossEntropy;
import org.align4j.core.model.TransformerBackprop;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.util.Args;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-example gradients of {@link SequenceNllLoss} (DP SFT) through {@link TransformerBackprop}'s hand-written
 * forward and backward passes, without SameDiff and without a copy of the weights per example. The DP-SGD sum
 * ({@link #accumulateClipped}) takes one pass per physical batch: examples of similar length are batched together,
 * right-padded to the longest, each example's gradient norm is computed from the activations and output gradients
 * the backward pass keeps, and each weight's clipped sum is one more product with every example's rows scaled by
 * its clip factor ({@link TransformerBackprop#clippedGradients}). {@link #compute} forms each example's gradient
 * from its own pass, at its own length. The transformer's weights only (no extra parameters). Not thread-safe.
 */
public final class BackpropPerExampleGradients implements PerExampleGradients<TokenSequence> {

  private final TransformerBackprop backprop;
  private final List<String> names;
  private final boolean training;
  private final int physicalBatchSize;

  /**
   * Per-example gradients over {@code weights} (the live arrays, which the optimiser updates between steps).
   *
   * @param training whether dropout (if the model has any) is applied
   * @param physicalBatchSize the most examples of one pass, {@code > 0}
   */
  public BackpropPerExampleGradients(TransformerWeights weights, boolean training, int physicalBatchSize) {
    this.backprop = new TransformerBackprop(weights);
    this.names = TransformerWeights.names(weights.config());
    this.training = training;
    this.physicalBatchSize = Args.positive("physicalBatchSize", physicalBatchSize);
  }

  @Override
  public List<String> parameterNames() {
    return names;
  }

  @Override
  public int physicalBatchSize() {
    return physicalBatchSize;
  }

  @Override
  public List<Map<String, INDArray>> compute(List<TokenSequence> examples) {
    List<Map<String, INDArray>> out = new ArrayList<>(examples.size());
    for (TokenSequence e : examples) {
      Batch one = new Batch(List.of(e));
      out.add(backprop.gradients(one.tokens, training, one::loss).gradients());
    }
    return out;
  }

  @Override
  public ClipStats accumulateClipped(List<TokenSequence> examples, PerExampleClipping clipping,
      Map<String, INDArray> sum) {
    List<TokenSequence> byLength = new ArrayList<>(examples);
    byLength.sort(Comparator.comparingInt(s -> s.tokens().length));
    ClipStats stats = ClipStats.EMPTY;
    for (int from = 0; from < byLength.size(); from += physicalBatchSize) {
      Batch batch = new Batch(byLength.subList(from, Math.min(byLength.size(), from + physicalBatchSize)));
      TransformerBackprop.ClippedStep step = backprop.clippedGradients(batch.tokens, training, batch::loss, clipping);
      step.gradients().forEach((name, g) -> sum.get(name).addi(g));
      double normSum = 0;
      int clipped = 0;
      for (int i = 0; i < batch.tokens.length; i++) {
        normSum += Math.sqrt(Arrays.stream(step.squaredNorms()[i]).sum());
        clipped += Arrays.stream(step.scales()[i]).anyMatch(s -> s < 1.0) ? 1 : 0;
      }
      stats = stats.plus(new ClipStats(batch.tokens.length, step.loss(), normSum, clipped));
    }
    return stats;
  }

  /** Examples right-padded to the longest, with each one's next-token targets and loss weights. */
  private static final class Batch {
    private final int[][] tokens;
    private final int[] targets;
    private final float[] weights;

    Batch(List<TokenSequence> examples) {
      int t = examples.stream().mapToInt(s -> s.tokens().length - 1).max().orElseThrow();
      tokens = new int[examples.size()][t];
      targets = new int[examples.size() * t];
      weights = new float[examples.size() * t];
      for (int i = 0; i < examples.size(); i++) {
        TokenSequence s = examples.get(i);
        int len = s.tokens().length - 1;
        System.arraycopy(s.tokens(), 0, tokens[i], 0, len);
        System.arraycopy(s.tokens(), 1, targets, i * t, len);
        Arrays.fill(weights, i * t + s.lossStart() - 1, i * t + len, 1f / s.lossTokens());
      }
    }

    /** The sum over examples of the mean NLL of their learned tokens, and its gradient. */
    TransformerBackprop.LossGradient loss(TransformerBackprop.Pass pass) {
      TokenCrossEntropy.Result ce = TokenCrossEntropy.of(pass.logits(), targets, weights);
      return new TransformerBackprop.LossGradient(ce.loss(), null, ce.dLogits());
    }
  }
}
