package org.align4j.core.dp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.model.internal.TransformerBackprop;
import org.align4j.core.util.Args;
import org.align4j.core.util.FloatViews;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-example gradients of any {@link PerExampleLoss} through {@link TransformerBackprop}'s hand-written forward
 * and backward passes, without a copy of the weights per example. The DP-SGD sum ({@link #accumulateClipped})
 * takes one pass per physical batch: examples of similar length are batched together, right-padded to the
 * longest, each example's gradient norm is computed from the activations and output gradients the backward pass
 * keeps, and each weight's clipped sum is one more product with every example's rows scaled by its clip factor
 * ({@link TransformerBackprop#clippedGradients}). An example of several rows ({@link PerExampleLoss#rowsPerExample})
 * is clipped as one. {@link #compute} forms each example's gradient from its own pass, at its own length.
 *
 * <p>{@link SequenceNllLoss} is computed by hand ({@link NllObjective}); any other loss is differentiated by
 * SameDiff with respect to the pass's outputs only ({@link OutputObjective}): the hidden states, the logits and the
 * outputs of the extra parameters, which are linear heads ([d, k]) on the hidden states whose gradients are
 * clipped with the transformer's. Not thread-safe.
 *
 * @param <E> the example type
 */
final class BackpropPerExampleGradients<E> implements PerExampleGradients<E> {

  private final TransformerBackprop backprop;
  private final BatchObjective<E> objective;
  private final ToIntFunction<E> length;
  private final List<String> names;
  private final boolean training;
  private final int physicalBatchSize;

  /**
   * Per-example gradients of {@code loss} over {@code weights} and {@code extraParameters} (the live arrays, which
   * the optimiser updates between steps).
   *
   * @param extraParameters trainable [d, k] heads on the final hidden states by name (may be empty)
   * @param training whether dropout (if the model has any) is applied
   * @param physicalBatchSize the most examples of one pass, {@code > 0}
   * @throws IllegalArgumentException for an architecture the hand-written passes do not implement, or an extra
   *     parameter that is not a [d, k] matrix
   */
  @SuppressWarnings("unchecked") // E is TokenSequence for SequenceNllLoss
  public BackpropPerExampleGradients(TransformerWeights weights, Map<String, INDArray> extraParameters,
      PerExampleLoss<E> loss, boolean training, int physicalBatchSize) {
    this.backprop = new TransformerBackprop(weights);
    extraParameters.forEach((name, w) -> Args.check(w.rank() == 2 && w.size(0) == weights.config().dModel(),
        "extra parameter %s must be a [%s, k] head, got shape %s", name, weights.config().dModel(),
        Arrays.toString(w.shape())));
    this.objective = loss instanceof SequenceNllLoss && extraParameters.isEmpty()
        ? (BatchObjective<E>) new NllObjective()
        : new OutputObjective<>(loss, weights.config(), extraParameters, true);
    this.length = loss::inputLength;
    List<String> all = new ArrayList<>(TransformerWeights.names(weights.config()));
    all.addAll(extraParameters.keySet());
    this.names = List.copyOf(all);
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
  public List<Map<String, INDArray>> compute(List<E> examples) {
    List<Map<String, INDArray>> out = new ArrayList<>(examples.size());
    for (E e : examples) {
      BatchObjective.Prepared one = objective.prepare(List.of(e));
      out.add(backprop.gradients(one.tokens(), training, one.objective()).gradients());
    }
    return out;
  }

  @Override
  public ClipStats accumulateClipped(List<E> examples, PerExampleClipping clipping, Map<String, INDArray> sum) {
    List<E> byLength = new ArrayList<>(examples);
    byLength.sort(Comparator.comparingInt(length));
    ClipStats stats = ClipStats.EMPTY;
    for (int from = 0; from < byLength.size(); from += physicalBatchSize) {
      BatchObjective.Prepared batch =
          objective.prepare(byLength.subList(from, Math.min(byLength.size(), from + physicalBatchSize)));
      TransformerBackprop.ClippedStep step = backprop.clippedGradients(batch.tokens(), training, batch.objective(),
          clipping, objective.rowsPerExample());
      step.gradients().forEach((name, g) -> FloatViews.addInPlace(sum.get(name), g));
      double normSum = 0;
      int clipped = 0;
      for (int i = 0; i < step.scales().length; i++) {
        normSum += Math.sqrt(Arrays.stream(step.squaredNorms()[i]).sum());
        clipped += Arrays.stream(step.scales()[i]).anyMatch(s -> s < 1.0) ? 1 : 0;
      }
      stats = stats.plus(new ClipStats(step.scales().length, step.loss(), normSum, clipped));
    }
    return stats;
  }
}
