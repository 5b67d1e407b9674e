package org.align4j.optimizers.dp;

import static org.align4j.core.dp.DpFixtures.maxAbs;
import static org.align4j.core.dp.DpFixtures.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.align4j.core.dp.ClipStats;
import org.align4j.core.dp.ClippingMode;
import org.align4j.core.dp.DpFixtures;
import org.align4j.core.dp.GradientPath;
import org.align4j.core.dp.PerExampleGradients;
import org.align4j.core.dp.PerExampleClipping;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.train.GradientClipping;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.align4j.optimizers.preference.PreferenceLossType;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The hand-written path (({@link GradientPath#BACKPROP})) for the objectives other than SFT, against the
 * obvious computation: each example's gradient from its own SameDiff pass through the whole graph
 * ({@link GradientPath#LOOP}, one example at a time), its norm, its clip factor, and the sum of the clipped
 * gradients, flat and per layer, over physical batches that split the examples unevenly. (PPO's rollout loss is
 * checked the same way in {@code PrivatePpoTest}.)
 */
class BackpropObjectivesTest {

  @Test
  void rewardPairsWithTheirHeadMatchTheOneByOneComputation() {
    TransformerRewardModel model = PairGradientsTest.perturbed(6);
    Map<String, INDArray> head = Map.of(DpRewardTrainer.HEAD, model.headWeight());
    BradleyTerryPairLoss loss = new BradleyTerryPairLoss(DpRewardTrainer.HEAD);
    check(GradientPath.LOOP.build(model.backbone().weights(), head, loss, 12, 1, false),
        GradientPath.BACKPROP.build(model.backbone().weights(), head, loss, DpFixtures.CONTEXT, 3, false),
        PairGradientsTest.pairs(7, 23));
  }

  @Test
  void dpoPairsMatchTheOneByOneComputation() {
    TransformerLm model = DpFixtures.model(41);
    PreferencePairLoss loss = new PreferencePairLoss(PreferenceLoss.builder().beta(2).build());
    check(GradientPath.LOOP.build(model.weights(), Map.of(), loss, DpFixtures.CONTEXT, 1, false),
        GradientPath.BACKPROP.build(model.weights(), Map.of(), loss, DpFixtures.CONTEXT, 3, false), DpDpoTrainerTest.pairs(7, 5));
  }

  @Test
  void ipoPairsMatchTheOneByOneComputation() {
    TransformerLm model = DpFixtures.model(43);
    PreferencePairLoss loss =
        new PreferencePairLoss(PreferenceLoss.builder().type(PreferenceLossType.IPO).beta(0.5).build());
    check(GradientPath.LOOP.build(model.weights(), Map.of(), loss, DpFixtures.CONTEXT, 1, false),
        GradientPath.BACKPROP.build(model.weights(), Map.of(), loss, DpFixtures.CONTEXT, 4, false), DpDpoTrainerTest.pairs(6, 9));
  }

  /** Gradients, norms and clipped sums of {@code path} equal those formed one example at a time by {@code loop}. */
  private static <E> void check(PerExampleGradients<E> loop, PerExampleGradients<E> path,
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
        loop.parameterNames()), DpFixtures.zerosLike(expected.get(0))).lossSum();
    for (ClippingMode mode : ClippingMode.values()) {
      PerExampleClipping clipping = new PerExampleClipping(c, mode, loop.parameterNames());
      Map<String, INDArray> sum = DpFixtures.zerosLike(expected.get(0));
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
        Map<String, INDArray> g = DpFixtures.zerosLike(original);
        original.forEach((k, v) -> g.get(k).assign(v));
        normSum += clipping.clip(g);
        g.forEach((k, v) -> sum.get(k).addi(v));
      }
      assertThat(clipped).as(mode.name()).isPositive().isLessThan(examples.size());
      Map<String, INDArray> accumulated = DpFixtures.zerosLike(expected.get(0));
      ClipStats stats = path.accumulateClipped(new ArrayList<>(examples), clipping, accumulated);
      assertThat(stats.examples()).isEqualTo(examples.size());
      assertThat(stats.clipped()).as(mode.name()).isEqualTo(clipped);
      assertThat(stats.normSum()).as(mode.name()).isCloseTo(normSum, within(1e-4 * normSum));
      assertThat(maxDiff(accumulated, sum)).as(mode.name()).isLessThan(1e-4 * maxAbs(sum));
      assertThat(stats.lossSum()).isCloseTo(lossSum, within(1e-4 * Math.abs(lossSum)));
    }
  }
}
