package org.align4j.rewardmodel.train;

import static org.align4j.core.dp.DpFixtures.assertPathMatchesLoop;
import static org.align4j.core.dp.DpFixtures.maxAbs;
import static org.align4j.core.dp.DpFixtures.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.dp.ClipStats;
import org.align4j.core.dp.ClippingMode;
import org.align4j.core.dp.DpFixtures;
import org.align4j.core.dp.GradientPath;
import org.align4j.core.dp.PerExampleClipping;
import org.align4j.core.dp.PerExampleGradients;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.train.GradientClipping;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-pair gradients of the Bradley-Terry loss ({@link BradleyTerryPairLoss}; a pair is two graph rows): the loop's
 * sum to the full-batch gradient, the hand-written passes (a pair's two sequences clipped as one example) equal the
 * loop, in gradients, norms and clipped sums flat and per layer, the graph's per-pair losses equal the float64 loss
 * of the model's own scores, and every clipped contribution is within C.
 */
class PairGradientsTest {

  private static final int CONTEXT = 12;
  private static final String HEAD = RewardTrainer.HEAD_WEIGHT;

  private static TransformerRewardModel model;
  private static List<RewardPair> pairs;
  private static PerExampleGradients<RewardPair> loopPath;
  private static List<Map<String, INDArray>> loop;

  /** A perturbed backbone with a large head, so rewards are of order one and no gradient is trivially small. */
  static TransformerRewardModel perturbed(long seed) {
    TransformerLm lm = TinyModels.perturbed(CONTEXT, seed, 0.05);
    SplittableRandom random = new SplittableRandom(seed);
    float[] w = new float[lm.config().dModel()];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * 0.5);
    }
    return TransformerRewardModel.of(lm, Nd4j.create(w, new long[] {w.length, 1}, 'c'), Nd4j.createFromArray(0.3f));
  }

  /** Pairs of random byte sequences of different lengths (BOS first), with margins. */
  static List<RewardPair> pairs(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<RewardPair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new RewardPair(sequence(random), sequence(random), random.nextDouble() - 0.5));
    }
    return out;
  }

  private static int[] sequence(SplittableRandom random) {
    int[] s = new int[2 + random.nextInt(CONTEXT - 1)];
    s[0] = 256;
    for (int t = 1; t < s.length; t++) {
      s[t] = 97 + random.nextInt(6);
    }
    return s;
  }

  private static Map<String, INDArray> extra() {
    return Map.of(HEAD, model.headWeight());
  }

  @BeforeAll
  static void compute() {
    model = perturbed(4);
    pairs = pairs(5, 17);
    loopPath = GradientPath.LOOP.build(model.backbone().weights(), extra(), new BradleyTerryPairLoss(HEAD), CONTEXT,
        1, false);
    loop = loopPath.compute(pairs);
  }

  @Test
  void loopGradientsSumToTheFullBatchGradientAndLossesMatchTheModelsScores() {
    BradleyTerryPairLoss loss = new BradleyTerryPairLoss(HEAD);
    DpFixtures.FullBatch g = DpFixtures.fullBatch(model.backbone().weights(), extra(), loss, pairs, CONTEXT);
    Map<String, INDArray> full = g.gradients();
    Map<String, INDArray> sum = DpFixtures.zerosLike(full);
    for (Map<String, INDArray> one : loop) {
      one.forEach((k, v) -> sum.get(k).addi(v));
    }
    assertThat(full.keySet()).contains(HEAD).containsExactlyElementsOf(loop.get(0).keySet());
    assertThat(maxAbs(full)).isGreaterThan(1e-2);
    assertThat(maxDiff(sum, full)).isLessThan(1e-5);
    assertThat(maxDiff(loop.get(0), loop.get(1))).isGreaterThan(1e-3);

    double[] rc = model.scoreTokens(pairs.stream().map(RewardPair::chosen).toList());
    double[] rr = model.scoreTokens(pairs.stream().map(RewardPair::rejected).toList());
    double[] margins = pairs.stream().mapToDouble(RewardPair::margin).toArray();
    double[] expected = BradleyTerryLoss.plain().perExample(rc, rr, margins);
    double[] graph = g.losses();
    for (int i = 0; i < pairs.size(); i++) {
      assertThat(graph[i]).as("pair " + i).isCloseTo(expected[i], within(1e-5));
    }
    assertThat(expected[0]).isNotCloseTo(expected[1], within(1e-2));
  }

  @Test
  void handWrittenPairsMatchTheLoop() {
    PerExampleGradients<RewardPair> vec = GradientPath.BACKPROP.build(model.backbone().weights(), extra(),
        new BradleyTerryPairLoss(HEAD), CONTEXT, 3, false);
    List<Map<String, INDArray>> v = vec.compute(pairs);
    assertThat(v).hasSize(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      assertThat(maxDiff(v.get(i), loop.get(i))).as("pair " + i).isLessThan(1e-5);
    }
  }

  @Test
  void everyClippedPairContributionIsWithinC() {
    double c = 0.05;
    PerExampleClipping clipping = new PerExampleClipping(c, ClippingMode.FLAT, loopPath.parameterNames());
    Map<String, INDArray> expected = DpFixtures.zerosLike(loop.get(0));
    for (Map<String, INDArray> original : loop) {
      Map<String, INDArray> g = DpFixtures.zerosLike(original);
      original.forEach((k, v) -> g.get(k).assign(v));
      assertThat(clipping.clip(g)).isGreaterThan(c);
      assertThat(GradientClipping.globalNorm(g)).isLessThanOrEqualTo(c * (1 + 1e-5));
      g.forEach((k, v) -> expected.get(k).addi(v));
    }
    PerExampleGradients<RewardPair> vec = GradientPath.BACKPROP.build(model.backbone().weights(), extra(),
        new BradleyTerryPairLoss(HEAD), CONTEXT, 2, false);
    for (PerExampleGradients<RewardPair> path : List.of(loopPath, vec)) {
      Map<String, INDArray> sum = DpFixtures.zerosLike(loop.get(0));
      ClipStats stats = path.accumulateClipped(pairs, clipping, sum);
      assertThat(stats.examples()).isEqualTo(pairs.size());
      assertThat(stats.clipped()).isEqualTo(pairs.size());
      assertThat(maxDiff(sum, expected)).as(path.getClass().getSimpleName()).isLessThan(1e-6);
      assertThat(GradientClipping.globalNorm(sum)).isLessThanOrEqualTo(pairs.size() * c * (1 + 1e-5));
    }
  }

  @Test
  void rewardPairsWithTheirHeadMatchTheOneByOneComputation() {
    TransformerRewardModel model = perturbed(6);
    Map<String, INDArray> head = Map.of(HEAD, model.headWeight());
    BradleyTerryPairLoss loss = new BradleyTerryPairLoss(HEAD);
    assertPathMatchesLoop(GradientPath.LOOP.build(model.backbone().weights(), head, loss, 12, 1, false),
        GradientPath.BACKPROP.build(model.backbone().weights(), head, loss, DpFixtures.CONTEXT, 3, false),
        pairs(7, 23));
  }

  @Test
  void autoPathTakesTheHandWrittenPassesForPairs() {
    assertThat(GradientPath.AUTO.resolve(model.backbone().config())).isEqualTo(GradientPath.BACKPROP);
  }
}
