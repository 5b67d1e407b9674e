package org.align4j.core.dp;

import java.util.LinkedHashMap;
import java.util.Map;
import org.align4j.core.model.internal.TransformerGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The ordinary {@link TransformerGraph} (shared parameters) seen as an {@link ExampleGraph}. */
final class TransformerExampleGraph implements ExampleGraph {

  private final TransformerGraph graph;
  private final Map<String, SDVariable> heads = new LinkedHashMap<>();

  TransformerExampleGraph(TransformerGraph graph, Map<String, INDArray> extraParameters) {
    this.graph = graph;
    extraParameters.forEach((name, array) -> heads.put(name, graph.addParameter(name, array)));
  }

  TransformerGraph graph() {
    return graph;
  }

  @Override
  public SameDiff sameDiff() {
    return graph.sameDiff();
  }

  @Override
  public int seqLen() {
    return graph.seqLen();
  }

  @Override
  public SDVariable hidden() {
    return graph.hidden();
  }

  @Override
  public SDVariable logits() {
    return graph.logits();
  }

  @Override
  public SDVariable tokenLogProbs(SDVariable targets) {
    return graph.tokenLogProbs(targets);
  }

  @Override
  public SDVariable head(String name) {
    return graph.hidden().mmul(parameter(name));
  }

  @Override
  public SDVariable parameter(String name) {
    SDVariable v = heads.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no extra parameter named " + name);
    }
    return v;
  }
}
