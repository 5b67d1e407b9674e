package org.align4j.core.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.model.internal.TransformerGraph;
import org.align4j.core.train.GradientClipping;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Tiny models, sequences, a slow reference gradient and a reference check of gradient paths for the DP tests. */
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

  /**
   * Asserts that the gradients, norms and clipped sums of {@code path} equal those formed one example at a time by
   * {@code loop}, flat and per layer, at a clip norm between two examples' norms (so that some examples are clipped
   * and some not).
   */
  public static <E> void assertPathMatchesLoop(PerExampleGradients<E> loop, PerExampleGradients<E> path,
      List<E> examples) {
    assertThat(path.parameterNames()).isEqualTo(loop.parameterNames());
    List<Map<String, INDArray>> expected = loop.compute(examples);
    List<Map<String, INDArray>> got = path.compute(examples);
    double[] norms = new double[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      assertThat(maxDiff(got.get(i), expected.get(i))).as("example %d", i)
          .isLessThan(1e-4 * Math.max(1e-2, maxAbs(expected.get(i))));
      norms[i] = GradientClipping.globalNorm(expected.get(i));
    }
    assertThat(maxDiff(expected.get(0), expected.get(1))).isGreaterThan(1e-4);
    // between two examples' norms, so that float rounding cannot decide whether one of them is clipped
    double[] sorted = Arrays.stream(norms).sorted().toArray();
    double c = (sorted[norms.length / 2 - 1] + sorted[norms.length / 2]) / 2;
    double lossSum = loop.accumulateClipped(examples, new PerExampleClipping(c, ClippingMode.FLAT,
        loop.parameterNames()), zerosLike(expected.get(0))).lossSum();
    for (ClippingMode mode : ClippingMode.values()) {
      PerExampleClipping clipping = new PerExampleClipping(c, mode, loop.parameterNames());
      Map<String, INDArray> sum = zerosLike(expected.get(0));
      int clipped = 0;
      double normSum = 0;
      for (Map<String, INDArray> original : expected) {
        double[] groupSquares = new double[clipping.groupCount()];
        original.forEach((k, v) -> groupSquares[clipping.group(k)] += Math.pow(v.norm2Number().doubleValue(), 2));
        boolean over = false;
        for (String name : original.keySet()) {
          over |= Math.sqrt(groupSquares[clipping.group(name)]) > clipping.threshold(name);
        }
        clipped += over ? 1 : 0;
        Map<String, INDArray> g = zerosLike(original);
        original.forEach((k, v) -> g.get(k).assign(v));
        normSum += clipping.clip(g);
        g.forEach((k, v) -> sum.get(k).addi(v));
      }
      assertThat(clipped).as(mode.name()).isPositive().isLessThan(examples.size());
      Map<String, INDArray> accumulated = zerosLike(expected.get(0));
      ClipStats stats = path.accumulateClipped(new ArrayList<>(examples), clipping, accumulated);
      assertThat(stats.examples()).isEqualTo(examples.size());
      assertThat(stats.clipped()).as(mode.name()).isEqualTo(clipped);
      assertThat(stats.normSum()).as(mode.name()).isCloseTo(normSum, within(1e-4 * normSum));
      assertThat(maxDiff(accumulated, sum)).as(mode.name()).isLessThan(1e-4 * maxAbs(sum));
      assertThat(stats.lossSum()).isCloseTo(lossSum, within(1e-4 * Math.abs(lossSum)));
    }
  }
}
