package org.align4j.core.dp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.internal.TransformerBackprop;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Any {@link PerExampleLoss} on the hand-written pass: the loss's SameDiff graph is built over the pass's outputs
 * ({@link OutputGraph}, one per padded length), filled from the pass, and differentiated with respect to those
 * outputs (and the extra parameters the loss reads directly); the hand-written backward pass carries the gradients
 * to the weights and the heads. The graph's loss is the sum of the examples' losses (per-example clipping) or the
 * batch loss (plain training). Batches are padded to their longest example. {@link #evaluate} runs the forward
 * pass and the loss's outputs only. Not thread-safe: the last training pass's {@link #outputs()} (plain training
 * only) and {@link #parameterGradients()} are kept for the caller.
 *
 * @param <E> the example type
 */
final class OutputObjective<E> implements BatchObjective<E> {

  private final PerExampleLoss<E> loss;
  private final TransformerConfig config;
  private final Map<String, INDArray> heads;
  private final boolean perExample;
  private final Map<Integer, OutputGraph> graphs = new HashMap<>();
  private Map<String, INDArray> outputs = Map.of();
  private Map<String, INDArray> parameterGradients = Map.of();

  /**
   * @param heads the extra trainable parameters by name (the live arrays)
   * @param perExample whether the graph's loss is the sum of the examples' losses (else the batch loss)
   */
  OutputObjective(PerExampleLoss<E> loss, TransformerConfig config, Map<String, INDArray> heads,
      boolean perExample) {
    this.loss = loss;
    this.config = config;
    this.heads = heads;
    this.perExample = perExample;
  }

  @Override
  public int rowsPerExample() {
    return loss.rowsPerExample();
  }

  @Override
  public Prepared prepare(List<E> examples) {
    OutputGraph graph = graph(examples);
    if (perExample && !graph.parameters().isEmpty()) {
      throw new IllegalArgumentException("the loss reads extra parameters " + graph.parameters().keySet()
          + " directly; per-example clipping covers heads on the hidden states only");
    }
    Map<String, INDArray> placeholders = placeholders(examples, graph);
    int[][] tokens = placeholders.remove("tokens").toIntMatrix();
    return new Prepared(tokens, pass -> lossGradient(graph, placeholders, pass));
  }

  /**
   * The values of the loss's {@link PerExampleLoss#outputs()} on a forward pass of {@code backprop} over
   * {@code examples} (padded to the longest, without dropout), by name, outside the pass's workspace: the outputs
   * of {@link #prepare}'s objective without the backward pass. Leaves {@link #outputs()} as it was.
   */
  Map<String, INDArray> evaluate(TransformerBackprop backprop, List<E> examples) {
    OutputGraph graph = graph(examples);
    Map<String, INDArray> placeholders = placeholders(examples, graph);
    int[][] tokens = placeholders.remove("tokens").toIntMatrix();
    Map<String, INDArray> out = new LinkedHashMap<>();
    backprop.evaluate(tokens, pass -> {
      fill(graph, pass);
      Map<String, INDArray> values = graph.sameDiff().output(placeholders, loss.outputs());
      loss.outputs().forEach(name -> out.put(name, values.get(name).detach()));
      return 0; // the loss itself is not wanted
    });
    return out;
  }

  /** The values of the loss's {@link PerExampleLoss#outputs()} on the last pass, by name (none when per example). */
  Map<String, INDArray> outputs() {
    return outputs;
  }

  /** The gradients of the extra parameters the loss reads directly, on the last pass, by parameter name. */
  Map<String, INDArray> parameterGradients() {
    return parameterGradients;
  }

  private TransformerBackprop.LossGradient lossGradient(OutputGraph graph, Map<String, INDArray> placeholders,
      TransformerBackprop.Pass pass) {
    fill(graph, pass);
    List<String> wanted = new ArrayList<>(graph.inputs());
    wanted.addAll(graph.parameters().values());
    // per-example clipping reads no outputs
    List<String> kept = perExample ? List.of() : loss.outputs();
    List<String> values = new ArrayList<>(kept);
    values.add(OutputGraph.LOSS);
    OutAndGrad result = graph.sameDiff().calculateGradientsAndOutputs(placeholders, values, wanted);
    Map<String, INDArray> grads = result.getGradients();
    Map<String, INDArray> out = new LinkedHashMap<>();
    kept.forEach(name -> out.put(name, result.getOutputs().get(name).detach()));
    outputs = out;
    Map<String, INDArray> direct = new LinkedHashMap<>();
    graph.parameters().forEach((name, variable) -> direct.put(name, grads.get(variable).detach()));
    parameterGradients = direct;
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

  /** The graph of {@code examples}' longest input (built on first use). */
  private OutputGraph graph(List<E> examples) {
    int t = examples.stream().mapToInt(loss::inputLength).max().orElseThrow();
    return graphs.computeIfAbsent(t, n -> new OutputGraph(config, heads, n).build(loss, perExample));
  }

  /** The loss's placeholders of {@code examples} at {@code graph}'s length, in a map the caller may change. */
  private Map<String, INDArray> placeholders(List<E> examples, OutputGraph graph) {
    return new HashMap<>(loss.placeholders(examples, examples.size(), graph.seqLen()));
  }

  /** Sets every input of {@code graph} to its value on {@code pass}. */
  private void fill(OutputGraph graph, TransformerBackprop.Pass pass) {
    for (String input : graph.inputs()) {
      graph.set(input, output(input, pass));
    }
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
