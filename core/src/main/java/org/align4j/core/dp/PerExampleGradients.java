package org.align4j.core.dp;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Computes the gradient of each example's loss separately, for a fixed set of named parameters. Two
 * implementations: {@link BackpropPerExampleGradients} (one hand-written pass per physical batch, the memory of
 * a non-private pass) and {@link LoopPerExampleGradients} (one SameDiff backward pass per example, memory of one
 * gradient, the independent reference); {@link GradientPath} chooses.
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
