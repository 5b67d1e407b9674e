package org.align4j.core.dp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.model.internal.TransformerGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Tiny models, sequences and a slow reference gradient for the DP tests. */
public final class DpFixtures {

  public static final int CONTEXT = 10;

  private DpFixtures() {}

  /** A tiny perturbed model (no part of the computation trivially zero or one). */
  public static TransformerLm model(long seed) {
    return TinyModels.perturbed(CONTEXT, seed, 0.05);
  }

  /** {@code n} random byte sequences of 3 to CONTEXT+1 tokens (BOS first), some with a prompt part. */
  public static List<TokenSequence> sequences(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<TokenSequence> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = 3 + random.nextInt(CONTEXT - 1);
      int[] tokens = new int[len];
      tokens[0] = 256;
      for (int t = 1; t < len; t++) {
        tokens[t] = 97 + random.nextInt(6);
      }
      out.add(new TokenSequence(tokens, 1 + random.nextInt(Math.min(3, len - 1))));
    }
    return out;
  }

  /** The full-batch gradient of the summed per-example NLL, from the ordinary transformer graph. */
  public static Map<String, INDArray> fullBatchGradient(TransformerLm model, List<TokenSequence> batch) {
    return fullBatch(model.weights(), Map.of(), new SequenceNllLoss(), batch, CONTEXT).gradients();
  }

  /**
   * The gradient of {@code loss} summed over {@code batch} (with respect to the transformer's weights and
   * {@code extra}), and each example's loss, from the ordinary transformer graph of {@code context} positions:
   * the independent reference of the per-example paths.
   */
  public static <E> FullBatch fullBatch(TransformerWeights weights, Map<String, INDArray> extra,
      PerExampleLoss<E> loss, List<E> batch, int context) {
    TransformerExampleGraph view =
        new TransformerExampleGraph(TransformerGraph.create(weights, context, false), extra);
    SDVariable perExample = loss.build(view).rename("per_example");
    view.sameDiff().setLossVariables(view.sameDiff().sum(perExample).rename("total"));
    TransformerGraph.Gradients g =
        view.graph().gradients(loss.placeholders(batch, batch.size(), context), "total", "per_example");
    Map<String, INDArray> out = new LinkedHashMap<>();
    g.byWeight().forEach((k, v) -> out.put(k, v.dup()));
    return new FullBatch(out, g.outputs().get("per_example").toDoubleVector());
  }

  /**
   * A full batch's gradient and per-example losses.
   *
   * @param gradients by parameter name
   * @param losses each example's loss
   */
  public record FullBatch(Map<String, INDArray> gradients, double[] losses) {}

  /** The largest absolute difference over all parameters. */
  public static double maxDiff(Map<String, INDArray> a, Map<String, INDArray> b) {
    double max = 0;
    for (Map.Entry<String, INDArray> e : a.entrySet()) {
      INDArray other = b.get(e.getKey());
      max = Math.max(max, e.getValue().sub(other).amaxNumber().doubleValue());
    }
    return max;
  }

  /** The largest absolute value over all parameters. */
  public static double maxAbs(Map<String, INDArray> a) {
    return a.values().stream().mapToDouble(v -> v.amaxNumber().doubleValue()).max().orElse(0);
  }

  /** Zero arrays shaped like {@code like}. */
  public static Map<String, INDArray> zerosLike(Map<String, INDArray> like) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    like.forEach((k, v) -> out.put(k, v.ulike().assign(0)));
    return out;
  }
}
