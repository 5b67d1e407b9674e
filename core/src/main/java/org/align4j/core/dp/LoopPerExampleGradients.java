package org.align4j.core.dp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.model.internal.TransformerGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-example gradients by a loop of micro-batches of one example through one reused graph: the memory of a
 * single gradient, at the cost of one backward pass per example (about 5-6x a full-batch gradient for a small
 * model). Not thread-safe.
 *
 * @param <E> the example type
 */
final class LoopPerExampleGradients<E> implements PerExampleGradients<E> {

  static final String LOSS = "dp_loss";

  private final PerExampleLoss<E> loss;
  private final TransformerGraph graph;

  /**
   * Builds the graph once.
   *
   * @param weights the transformer's weights (bound to the graph: in-place updates are seen)
   * @param extraParameters further trainable [d, k] heads by name (may be empty), also bound
   * @param loss the per-example loss
   * @param seqLen the graph's sequence length (every example's input length at most this)
   * @param training whether dropout (if the model has any) is applied
   */
  public LoopPerExampleGradients(TransformerWeights weights, Map<String, INDArray> extraParameters,
      PerExampleLoss<E> loss, int seqLen, boolean training) {
    this.loss = loss;
    TransformerExampleGraph view =
        new TransformerExampleGraph(TransformerGraph.create(weights, seqLen, training), extraParameters);
    this.graph = view.graph();
    SDVariable total = graph.sameDiff().sum(loss.build(view)).rename(LOSS);
    graph.sameDiff().setLossVariables(total);
  }

  @Override
  public List<String> parameterNames() {
    return graph.parameterNames();
  }

  @Override
  public int physicalBatchSize() {
    return 1;
  }

  /** One example's loss and gradient (arrays owned by the graph until the next call). */
  private TransformerGraph.Gradients one(E example) {
    return graph.gradients(loss.placeholders(List.of(example), 1, graph.seqLen()), LOSS);
  }

  @Override
  public List<Map<String, INDArray>> compute(List<E> examples) {
    List<Map<String, INDArray>> out = new ArrayList<>(examples.size());
    for (E e : examples) {
      Map<String, INDArray> copy = new LinkedHashMap<>();
      one(e).byWeight().forEach((k, v) -> copy.put(k, v.dup()));
      out.add(copy);
    }
    return out;
  }

  @Override
  public ClipStats accumulateClipped(List<E> examples, PerExampleClipping clipping, Map<String, INDArray> sum) {
    ClipStats stats = ClipStats.EMPTY;
    for (E e : examples) {
      TransformerGraph.Gradients g = one(e);
      stats = stats.plus(clipping.addClipped(g.byWeight(), g.outputs().get(LOSS).getDouble(0), sum));
    }
    return stats;
  }
}
