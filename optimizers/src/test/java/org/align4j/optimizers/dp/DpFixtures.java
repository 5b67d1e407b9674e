package org.align4j.optimizers.dp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.internal.TransformerGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Tiny models, sequences and a slow reference gradient for the DP tests. */
final class DpFixtures {

  static final int CONTEXT = 10;

  private DpFixtures() {}

  /** A tiny perturbed model (no part of the computation trivially zero or one). */
  static TransformerLm model(long seed) {
    return TinyModels.perturbed(CONTEXT, seed, 0.05);
  }

  /** {@code n} random byte sequences of 3 to CONTEXT+1 tokens (BOS first), some with a prompt part. */
  static List<TokenSequence> sequences(int n, long seed) {
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

  /** The full-batch gradient of the summed per-example loss, from the ordinary transformer graph. */
  static Map<String, INDArray> fullBatchGradient(TransformerLm model, List<TokenSequence> batch) {
    SequenceNllLoss loss = new SequenceNllLoss();
    TransformerExampleGraph view =
        new TransformerExampleGraph(TransformerGraph.create(model.weights(), CONTEXT, false), Map.of());
    view.sameDiff().setLossVariables(view.sameDiff().sum(loss.build(view)).rename("total"));
    TransformerGraph.Gradients g =
        view.graph().gradients(loss.placeholders(batch, batch.size(), CONTEXT), "total");
    Map<String, INDArray> out = new LinkedHashMap<>();
    g.byWeight().forEach((k, v) -> out.put(k, v.dup()));
    return out;
  }

  /** The largest absolute difference over all parameters. */
  static double maxDiff(Map<String, INDArray> a, Map<String, INDArray> b) {
    double max = 0;
    for (Map.Entry<String, INDArray> e : a.entrySet()) {
      INDArray other = b.get(e.getKey());
      max = Math.max(max, e.getValue().sub(other).amaxNumber().doubleValue());
    }
    return max;
  }

  /** The largest absolute value over all parameters. */
  static double maxAbs(Map<String, INDArray> a) {
    return a.values().stream().mapToDouble(v -> v.amaxNumber().doubleValue()).max().orElse(0);
  }

  /** Zero arrays shaped like {@code like}. */
  static Map<String, INDArray> zerosLike(Map<String, INDArray> like) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    like.forEach((k, v) -> out.put(k, v.ulike().assign(0)));
    return out;
  }
}
