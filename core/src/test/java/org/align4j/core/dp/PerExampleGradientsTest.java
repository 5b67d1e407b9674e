package org.align4j.core.dp;

import static org.align4j.core.dp.DpFixtures.CONTEXT;
import static org.align4j.core.dp.DpFixtures.maxAbs;
import static org.align4j.core.dp.DpFixtures.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.align4j.core.model.Architecture;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.train.GradientClipping;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Per-example gradients: the loop sums to the full-batch gradient, the hand-written passes equal the loop. */
class PerExampleGradientsTest {

  private static TransformerLm model;
  private static List<TokenSequence> batch;
  private static List<Map<String, INDArray>> loop;
  private static LoopPerExampleGradients<TokenSequence> loopPath;
  private static PerExampleGradients<TokenSequence> backpropPath;

  @BeforeAll
  static void compute() {
    model = DpFixtures.model(3);
    batch = DpFixtures.sequences(4, 11);
    loopPath = new LoopPerExampleGradients<>(model.weights(), Map.of(), new SequenceNllLoss(), CONTEXT, false);
    loop = loopPath.compute(batch);
    backpropPath = GradientPath.BACKPROP.build(model.weights(), Map.of(), new SequenceNllLoss(), CONTEXT, 3, false);
  }

  @Test
  void handWrittenPassesMatchTheLoop() {
    assertThat(backpropPath).isInstanceOf(BackpropPerExampleGradients.class);
    List<Map<String, INDArray>> hand = backpropPath.compute(batch);
    assertThat(hand.get(0).keySet()).containsExactlyElementsOf(loop.get(0).keySet());
    for (int i = 0; i < batch.size(); i++) {
      assertThat(maxDiff(hand.get(i), loop.get(i))).as("example " + i).isLessThan(1e-5);
    }
  }

  @Test
  void loopGradientsSumToTheFullBatchGradient() {
    Map<String, INDArray> full = DpFixtures.fullBatchGradient(model, batch);
    Map<String, INDArray> sum = DpFixtures.zerosLike(full);
    for (Map<String, INDArray> g : loop) {
      g.forEach((k, v) -> sum.get(k).addi(v));
    }
    assertThat(maxAbs(full)).isGreaterThan(1e-2);
    assertThat(maxDiff(sum, full)).isLessThan(1e-5);
    // examples differ, so the per-example gradients are not all the same
    assertThat(maxDiff(loop.get(0), loop.get(1))).isGreaterThan(1e-3);
  }

  @Test
  void flatClippingBoundsEveryExampleAndSumsAsClippedOneByOne() {
    checkClipping(ClippingMode.FLAT);
  }

  @Test
  void perLayerClippingBoundsEveryGroupAndSumsAsClippedOneByOne() {
    checkClipping(ClippingMode.PER_LAYER);
  }

  private static void checkClipping(ClippingMode mode) {
    double c = 0.05;
    PerExampleClipping clipping = new PerExampleClipping(c, mode, loopPath.parameterNames());
    if (mode == ClippingMode.PER_LAYER) {
      // tok_emb, pos_emb, l0, l1, lnf
      assertThat(clipping.groupCount()).isEqualTo(5);
      assertThat(clipping.threshold("l1.attn.wq")).isCloseTo(c / Math.sqrt(5), Offset.offset(1e-12));
    }
    Map<String, INDArray> expected = DpFixtures.zerosLike(loop.get(0));
    for (Map<String, INDArray> original : loop) {
      Map<String, INDArray> g = DpFixtures.zerosLike(original);
      original.forEach((k, v) -> g.get(k).assign(v));
      double before = clipping.clip(g);
      assertThat(before).isGreaterThan(c);
      double after = GradientClipping.globalNorm(g);
      assertThat(after).isLessThanOrEqualTo(c * (1 + 1e-5));
      if (mode == ClippingMode.PER_LAYER) {
        for (String layer : List.of("tok_emb", "pos_emb", "l0", "l1", "lnf")) {
          double sq = 0;
          for (Map.Entry<String, INDArray> e : g.entrySet()) {
            if (PerExampleClipping.layerOf(e.getKey()).equals(layer)) {
              double n = e.getValue().norm2Number().doubleValue();
              sq += n * n;
            }
          }
          assertThat(Math.sqrt(sq)).as(layer).isLessThanOrEqualTo(c / Math.sqrt(5) * (1 + 1e-5));
        }
      } else {
        assertThat(after).isGreaterThan(c * (1 - 1e-5));
      }
      g.forEach((k, v) -> expected.get(k).addi(v));
    }
    // the loop's accumulation is checked once (flat); the hand-written one in both modes
    List<PerExampleGradients<TokenSequence>> paths =
        mode == ClippingMode.FLAT ? List.of(loopPath, backpropPath) : List.of(backpropPath);
    for (PerExampleGradients<TokenSequence> path : paths) {
      Map<String, INDArray> sum = DpFixtures.zerosLike(loop.get(0));
      ClipStats stats = path.accumulateClipped(batch, clipping, sum);
      assertThat(stats.examples()).isEqualTo(batch.size());
      assertThat(stats.clipped()).isEqualTo(batch.size());
      assertThat(maxDiff(sum, expected)).as(path.getClass().getSimpleName()).isLessThan(1e-6);
      assertThat(GradientClipping.globalNorm(sum)).isLessThanOrEqualTo(batch.size() * c * (1 + 1e-5));
    }
  }

  @Test
  void chooserTakesTheHandWrittenPassesForEveryLossAndTheLoopOnlyForArchitecturesWithoutThem() {
    assertThat(GradientPath.AUTO.resolve(model.config())).isEqualTo(GradientPath.BACKPROP);
    assertThat(GradientPath.LOOP.resolve(model.config())).isEqualTo(GradientPath.LOOP);
    assertThat(GradientPath.AUTO.build(model.weights(), Map.of(),
        new SequenceNllLoss(), CONTEXT, 8, false))
        .isInstanceOf(BackpropPerExampleGradients.class);
    TransformerConfig c = model.config();
    TransformerConfig gpt2 = TransformerConfig.builder().vocabSize(c.vocabSize()).contextLength(c.contextLength())
        .dModel(c.dModel()).heads(c.heads()).layers(c.layers()).architecture(Architecture.gpt2(1e-5)).build();
    assertThat(GradientPath.AUTO.resolve(gpt2)).isEqualTo(GradientPath.LOOP);
  }
}
