package org.align4j.core.dp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.internal.TransformerBackprop;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Any {@link PerExampleLoss} on the hand-written pass: the loss's SameDiff graph is built over the pass's outputs
 * ({@link OutputGraph}, one per padded length), filled from the pass, and differentiated with respect to those
 * outputs only; the hand-written backward pass carries the gradients to the weights and the heads. Batches are
 * padded to their longest example. Not thread-safe.
 *
 * @param <E> the example type
 */
final class OutputObjective<E> implements BatchObjective<E> {

  private final PerExampleLoss<E> loss;
  private final TransformerConfig config;
  private final Map<String, INDArray> heads;
  private final Map<Integer, OutputGraph> graphs = new HashMap<>();

  /**
   * @param heads the trainable [d, k] heads by name (the live arrays)
   */
  OutputObjective(PerExampleLoss<E> loss, TransformerConfig config, Map<String, INDArray> heads) {
    this.loss = loss;
    this.config = config;
    this.heads = heads;
  }

  @Override
  public int rowsPerExample() {
    return loss.rowsPerExample();
  }

  @Override
  public Prepared prepare(List<E> examples) {
    int t = examples.stream().mapToInt(loss::inputLength).max().orElseThrow();
    OutputGraph graph = graphs.computeIfAbsent(t, n -> new OutputGraph(config, heads, n).build(loss));
    Map<String, INDArray> placeholders = new HashMap<>(loss.placeholders(examples, examples.size(), t));
    int[][] tokens = placeholders.remove("tokens").toIntMatrix();
    return new Prepared(tokens, pass -> lossGradient(graph, placeholders, pass));
  }

  private TransformerBackprop.LossGradient lossGradient(OutputGraph graph, Map<String, INDArray> placeholders,
      TransformerBackprop.Pass pass) {
    for (String input : graph.inputs()) {
      graph.set(input, output(input, pass));
    }
    OutAndGrad result = graph.sameDiff().calculateGradientsAndOutputs(placeholders, List.of(OutputGraph.LOSS),
        graph.inputs());
    Map<String, INDArray> grads = result.getGradients();
    List<TransformerBackprop.HeadGradient> headGradients = new ArrayList<>();
    heads.forEach((name, w) -> {
      INDArray g = grads.get(OutputGraph.headInput(name));
      if (g != null) {
        headGradients.add(new TransformerBackprop.HeadGradient(name, w, g));
      }
    });
    return new TransformerBackprop.LossGradient(result.getOutputs().get(OutputGraph.LOSS).getDouble(0),
        grads.get(OutputGraph.HIDDEN), grads.get(OutputGraph.LOGITS), headGradients);
  }

  /** The value of graph input {@code input} on {@code pass}, outside the pass's workspace. */
  private INDArray output(String input, TransformerBackprop.Pass pass) {
    if (input.equals(OutputGraph.HIDDEN)) {
      return pass.hidden().detach();
    }
    if (input.equals(OutputGraph.LOGITS)) {
      return pass.logits().detach();
    }
    for (Map.Entry<String, INDArray> head : heads.entrySet()) {
      if (input.equals(OutputGraph.headInput(head.getKey()))) {
        return pass.hidden().mmul(head.getValue()).detach();
      }
    }
    throw new IllegalStateException("unknown graph input " + input);
  }
}
