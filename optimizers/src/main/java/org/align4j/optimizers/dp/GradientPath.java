package org.align4j.optimizers.dp;

import java.util.Map;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.util.Args;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How per-example gradients are computed: a loop of one-example micro-batches, the vectorised graph, or
 * {@link #AUTO}, which takes the vectorised graph when its estimated memory fits the budget and the loop otherwise;
 * for DP SFT ({@link SequenceNllLoss}) also {@link #BACKPROP}, batched per-example clipping through the hand-written
 * passes.
 */
public enum GradientPath {
  /** {@link LoopPerExampleGradients}: memory of one gradient, one backward pass per example. */
  LOOP,
  /** {@link VectorisedPerExampleGradients}: one pass per physical batch, memory growing with its size. */
  VECTORISED,
  /**
   * {@link #BACKPROP} for {@link SequenceNllLoss} without extra parameters; otherwise the vectorised path when
   * {@link #vectorisedBytes} is within the memory budget, else the loop.
   */
  AUTO,
  /**
   * {@link BackpropPerExampleGradients}: one hand-written forward and backward pass per physical batch, each
   * example's norm from the kept activations and output gradients, no per-example copy of anything; only for
   * {@link SequenceNllLoss} without extra parameters. The fastest path, with the memory of one non-private pass.
   */
  BACKPROP;

  /**
   * Builds the per-example gradients of {@code loss} over the transformer's weights and {@code extraParameters}.
   *
   * @param seqLen the graph's sequence length
   * @param physicalBatchSize examples per vectorised or hand-written pass ({@code > 0}; ignored by the loop)
   * @param memoryBudgetBytes what {@link #AUTO} may spend on the vectorised pass ({@code > 0})
   * @param training whether dropout (if the model has any) is applied
   */
  public <E> PerExampleGradients<E> build(TransformerWeights weights, Map<String, INDArray> extraParameters,
      PerExampleLoss<E> loss, int seqLen, int physicalBatchSize, long memoryBudgetBytes, boolean training) {
    Args.positive("physicalBatchSize", physicalBatchSize);
    Args.positive("memoryBudgetBytes", memoryBudgetBytes);
    GradientPath chosen = resolve(weights.config(), extraParameters, loss, seqLen, physicalBatchSize,
        memoryBudgetBytes);
    if (chosen == BACKPROP) {
      Args.check(loss instanceof SequenceNllLoss && extraParameters.isEmpty(),
          "the BACKPROP gradient path takes SequenceNllLoss without extra parameters, got %s with %s extra parameters",
          loss.getClass().getSimpleName(), extraParameters.size());
      @SuppressWarnings("unchecked") // E is TokenSequence for SequenceNllLoss
      PerExampleGradients<E> backprop = (PerExampleGradients<E>) new BackpropPerExampleGradients(weights, training,
          physicalBatchSize);
      return backprop;
    }
    return chosen == LOOP
        ? new LoopPerExampleGradients<>(weights, extraParameters, loss, seqLen, training)
        : new VectorisedPerExampleGradients<>(weights, extraParameters, loss, seqLen, physicalBatchSize, training);
  }

  /**
   * This path, or for {@link #AUTO} the one it takes for {@code loss}: {@link #BACKPROP} for {@link SequenceNllLoss}
   * without extra parameters, else the one the budget allows ({@link #LOOP} or {@link #VECTORISED}).
   *
   * @param seqLen the graph's sequence length (an example of a loss with several
   *     {@link PerExampleLoss#rowsPerExample() rows} costs what one sequence of that many times the length does)
   */
  public GradientPath resolve(TransformerConfig config, Map<String, INDArray> extraParameters,
      PerExampleLoss<?> loss, int seqLen, int physicalBatchSize, long memoryBudgetBytes) {
    if (this != AUTO) {
      return this;
    }
    if (loss instanceof SequenceNllLoss && extraParameters.isEmpty()) {
      return BACKPROP;
    }
    long extra = extraParameters.values().stream().mapToLong(INDArray::length).sum();
    return vectorisedBytes(config, extra, seqLen * loss.rowsPerExample(), physicalBatchSize) <= memoryBudgetBytes
        ? VECTORISED : LOOP;
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
