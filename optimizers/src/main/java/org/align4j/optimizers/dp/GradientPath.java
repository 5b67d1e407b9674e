package org.align4j.optimizers.dp;

import java.util.Map;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.util.Args;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How per-example gradients are computed: a loop of one-example micro-batches, the vectorised graph, or
 * {@link #AUTO}, which takes the vectorised graph when its estimated memory fits the budget and the loop otherwise;
 * for DP SFT ({@link SequenceNllLoss}) also {@link #BACKPROP}, the loop through the hand-written passes.
 */
public enum GradientPath {
  /** {@link LoopPerExampleGradients}: memory of one gradient, one backward pass per example. */
  LOOP,
  /** {@link VectorisedPerExampleGradients}: one pass per physical batch, memory growing with its size. */
  VECTORISED,
  /** The vectorised path when {@link #vectorisedBytes} is within the memory budget, else the loop. */
  AUTO,
  /**
   * {@link BackpropPerExampleGradients}: one example per hand-written forward and backward pass, at its own length;
   * only for {@link SequenceNllLoss} without extra parameters.
   */
  BACKPROP;

  /**
   * Builds the per-example gradients of {@code loss} over the transformer's weights and {@code extraParameters}.
   *
   * @param seqLen the graph's sequence length
   * @param physicalBatchSize examples per vectorised pass ({@code > 0}; ignored by the loop)
   * @param memoryBudgetBytes what {@link #AUTO} may spend on the vectorised pass ({@code > 0})
   * @param training whether dropout (if the model has any) is applied
   */
  public <E> PerExampleGradients<E> build(TransformerWeights weights, Map<String, INDArray> extraParameters,
      PerExampleLoss<E> loss, int seqLen, int physicalBatchSize, long memoryBudgetBytes, boolean training) {
    Args.positive("physicalBatchSize", physicalBatchSize);
    Args.positive("memoryBudgetBytes", memoryBudgetBytes);
    GradientPath chosen = resolve(weights.config(), extraParameters, seqLen * loss.rowsPerExample(),
        physicalBatchSize, memoryBudgetBytes);
    if (chosen == BACKPROP) {
      Args.check(loss instanceof SequenceNllLoss && extraParameters.isEmpty(),
          "the BACKPROP gradient path takes SequenceNllLoss without extra parameters, got "
              + loss.getClass().getSimpleName() + " with " + extraParameters.size() + " extra parameters");
      @SuppressWarnings("unchecked") // E is TokenSequence for SequenceNllLoss
      PerExampleGradients<E> backprop = (PerExampleGradients<E>) new BackpropPerExampleGradients(weights, training);
      return backprop;
    }
    return chosen == LOOP
        ? new LoopPerExampleGradients<>(weights, extraParameters, loss, seqLen, training)
        : new VectorisedPerExampleGradients<>(weights, extraParameters, loss, seqLen, physicalBatchSize, training);
  }

  /**
   * This path, or for {@link #AUTO} the one the budget allows ({@link #LOOP} or {@link #VECTORISED}).
   *
   * @param seqLen the positions of one example: the graph's sequence length times the loss's
   *     {@link PerExampleLoss#rowsPerExample()} (a pair of sequences costs what one sequence of twice the length
   *     does)
   */
  public GradientPath resolve(TransformerConfig config, Map<String, INDArray> extraParameters, int seqLen,
      int physicalBatchSize, long memoryBudgetBytes) {
    if (this != AUTO) {
      return this;
    }
    long extra = extraParameters.values().stream().mapToLong(INDArray::length).sum();
    return vectorisedBytes(config, extra, seqLen, physicalBatchSize) <= memoryBudgetBytes ? VECTORISED : LOOP;
  }

  /**
   * An estimate of the off-heap bytes of one vectorised pass: per row, three float copies of the parameters (the
   * copy, its gradient and the clipping temporaries) and the activations kept for the backward pass (about
   * 14 d + 3 m + 3 H T floats per token and layer, and 3 V for the output layer).
   */
  public static long vectorisedBytes(TransformerConfig config, long extraParameters, int seqLen, int rows) {
    double params = config.parameterCount() + extraParameters;
    double perToken = config.layers() * (14.0 * config.dModel() + 3.0 * config.mlpDim()
        + 3.0 * config.heads() * seqLen) + 3.0 * config.vocabSize();
    double floats = rows * (3.0 * params + seqLen * perToken);
    return (long) Math.min(Long.MAX_VALUE, 4.0 * floats);
  }
}
