package org.align4j.optimizers.dp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.SameDiffs;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.util.Args;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-example gradients in one backward pass per physical batch of {@code rows} examples, through a graph in which
 * every row has its own copy of the parameters (see DESIGN.md: it matches the loop and costs about one
 * full-batch gradient for a small model). Memory grows with rows times the parameter count; a smaller last chunk
 * is padded with zero-loss rows. An example of several graph rows ({@link PerExampleLoss#rowsPerExample()}) keeps
 * one parameter copy for all of them. Clipping and summing are done on the [rows, n] gradient matrices (squared norms
 * by row, then one matrix-vector product per parameter). Not thread-safe.
 *
 * @param <E> the example type
 */
public final class VectorisedPerExampleGradients<E> implements PerExampleGradients<E> {

  private static final String LOSS = "dp_loss";
  private static final String ROW_LOSS = "dp_row_loss";

  private final PerExampleLoss<E> loss;
  private final VectorisedTransformerGraph graph;
  private final List<String> names;
  private final List<String> varNames = new ArrayList<>();
  private final Map<String, long[]> shapes = new LinkedHashMap<>();

  /**
   * Builds the graph once.
   *
   * @param weights the transformer's weights (read before every pass)
   * @param extraParameters further trainable [d, k] heads by name (may be empty)
   * @param loss the per-example loss
   * @param seqLen the graph's sequence length
   * @param rows the physical batch size in examples, {@code > 0}
   * @param training whether dropout (if the model has any) is applied
   */
  public VectorisedPerExampleGradients(TransformerWeights weights, Map<String, INDArray> extraParameters,
      PerExampleLoss<E> loss, int seqLen, int rows, boolean training) {
    Args.positive("rows", rows);
    Args.check(seqLen >= 1 && seqLen <= weights.config().contextLength(), "seqLen must be in [1, %s], got %s",
        weights.config().contextLength(), seqLen);
    this.loss = loss;
    this.graph = new VectorisedTransformerGraph(weights, extraParameters, rows, seqLen, loss.rowsPerExample(),
        training);
    SameDiff sd = graph.sameDiff();
    SDVariable rowLoss = loss.build(graph).rename(ROW_LOSS);
    sd.setLossVariables(sd.sum(rowLoss).rename(LOSS));
    this.names = List.copyOf(graph.variables().keySet());
    graph.variables().forEach((name, v) -> {
      varNames.add(v.name());
      long[] s = v.getArr().shape();
      shapes.put(name, Arrays.copyOfRange(s, 1, s.length));
    });
    SameDiffs.createGradientsQuietly(sd);
  }

  @Override
  public List<String> parameterNames() {
    return names;
  }

  @Override
  public int physicalBatchSize() {
    return graph.rows();
  }

  /** One pass over at most {@code rows} examples: the row losses and the [rows, n] gradient of each parameter. */
  private Map<String, INDArray> pass(List<E> chunk, double[] rowLosses) {
    graph.refresh();
    Map<String, INDArray> ph = loss.placeholders(chunk, graph.rows(), graph.seqLen());
    OutAndGrad r = graph.sameDiff().calculateGradientsAndOutputs(ph, List.of(ROW_LOSS), varNames);
    INDArray losses = r.getOutputs().get(ROW_LOSS);
    for (int i = 0; i < chunk.size(); i++) {
      rowLosses[i] = losses.getDouble(i);
    }
    Map<String, INDArray> out = new LinkedHashMap<>();
    int i = 0;
    for (String name : names) {
      INDArray g = r.getGradients().get(varNames.get(i++));
      out.put(name, g.reshape(graph.rows(), g.length() / graph.rows()));
    }
    return out;
  }

  @Override
  public List<Map<String, INDArray>> compute(List<E> examples) {
    List<Map<String, INDArray>> out = new ArrayList<>(examples.size());
    int rows = graph.rows();
    double[] losses = new double[rows];
    for (int from = 0; from < examples.size(); from += rows) {
      List<E> chunk = examples.subList(from, Math.min(examples.size(), from + rows));
      Map<String, INDArray> g = pass(chunk, losses);
      for (int b = 0; b < chunk.size(); b++) {
        Map<String, INDArray> one = new LinkedHashMap<>();
        for (String name : names) {
          one.put(name, g.get(name).getRow(b).dup().reshape(shapes.get(name)));
        }
        out.add(one);
      }
    }
    return out;
  }

  @Override
  public ClipStats accumulateClipped(List<E> examples, PerExampleClipping clipping, Map<String, INDArray> sum) {
    int rows = graph.rows();
    int groups = clipping.groupCount();
    double[] losses = new double[rows];
    ClipStats stats = ClipStats.EMPTY;
    for (int from = 0; from < examples.size(); from += rows) {
      List<E> chunk = examples.subList(from, Math.min(examples.size(), from + rows));
      Map<String, INDArray> g = pass(chunk, losses);
      double[][] sq = new double[rows][groups];
      for (String name : names) {
        INDArray rowSq = g.get(name).mul(g.get(name)).sum(1).castTo(DataType.DOUBLE);
        int group = clipping.group(name);
        for (int b = 0; b < rows; b++) {
          sq[b][group] += rowSq.getDouble(b);
        }
      }
      float[][] scales = new float[groups][rows];
      int clipped = 0;
      double normSum = 0;
      double lossSum = 0;
      for (int b = 0; b < rows; b++) {
        double[] s = clipping.scales(sq[b]);
        boolean any = false;
        for (int k = 0; k < groups; k++) {
          scales[k][b] = (float) s[k];
          any |= s[k] < 1.0;
        }
        if (b < chunk.size()) {
          clipped += any ? 1 : 0;
          normSum += Math.sqrt(Arrays.stream(sq[b]).sum());
          lossSum += losses[b];
        }
      }
      INDArray[] scaleRows = new INDArray[groups];
      for (int k = 0; k < groups; k++) {
        scaleRows[k] = Nd4j.createFromArray(new float[][] {scales[k]});
      }
      for (String name : names) {
        INDArray weighted = scaleRows[clipping.group(name)].mmul(g.get(name));
        sum.get(name).addi(weighted.reshape(shapes.get(name)));
      }
      stats = stats.plus(new ClipStats(chunk.size(), lossSum, normSum, clipped));
    }
    return stats;
  }

}
