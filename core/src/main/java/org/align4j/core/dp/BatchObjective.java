package org.align4j.core.dp;

import java.util.List;
import org.align4j.core.model.internal.TransformerBackprop;

/**
 * A per-example loss in the form {@link BackpropPerExampleGradients} runs: a batch of examples as the token rows
 * of one hand-written pass ({@link #rowsPerExample()} consecutive rows per example, right-padded to the longest)
 * and the objective on that pass, the sum of the examples' losses.
 *
 * @param <E> the example type
 */
interface BatchObjective<E> {

  /**
   * A prepared batch.
   *
   * @param tokens the pass's rows, [examples * rowsPerExample][T]
   * @param objective the sum of the examples' losses and its gradients
   */
  record Prepared(int[][] tokens, TransformerBackprop.Objective objective) {}

  /** The rows one example occupies. */
  int rowsPerExample();

  /** The rows and the objective of {@code examples} (at least one). */
  Prepared prepare(List<E> examples);
}
