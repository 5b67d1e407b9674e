package org.align4j.optimizers.dp;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Computes the gradient of each example's loss separately, for a fixed set of named parameters. Two
 * implementations: {@link LoopPerExampleGradients} (one backward pass per example, memory of one gradient) and
 * {@link VectorisedPerExampleGradients} (one backward pass per physical batch with a copy of the parameters per
 * example, memory growing with batch size times parameter count); {@link GradientPath} chooses within a memory
 * budget.
 *
 * @param <E> the example type
 */
public interface PerExampleGradients<E> {

  /** The parameter names, in order. */
  List<String> parameterNames();

  /** The most examples one pass handles; larger batches are split into passes of this size. */
  int physicalBatchSize();

  /** Each example's gradient, as independent arrays keyed by parameter name (for inspection and tests). */
  List<Map<String, INDArray>> compute(List<E> examples);

  /**
   * Clips each example's gradient with {@code clipping} and adds it to {@code sum} (keyed by parameter name,
   * updated in place); this is the DP-SGD inner loop and never keeps all per-example gradients at once beyond one
   * physical batch.
   */
  ClipStats accumulateClipped(List<E> examples, PerExampleClipping clipping, Map<String, INDArray> sum);
}
