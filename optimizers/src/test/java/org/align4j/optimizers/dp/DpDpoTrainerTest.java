package org.align4j.optimizers.dp;

import static org.align4j.core.dp.DpFixtures.maxAbs;
import static org.align4j.core.dp.DpFixtures.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.dp.DpFixtures;
import org.align4j.core.dp.DpSgdConfig;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.dp.GradientPath;
import org.align4j.core.dp.PerExampleGradients;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.privacy.RdpAccountant;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.train.StepMetrics;
import org.align4j.optimizers.dpo.DpoConfig;
import org.align4j.optimizers.dpo.DpoTrainer;
import org.align4j.optimizers.preference.PreferenceBatch;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.align4j.optimizers.preference.PreferenceLossType;
import org.align4j.rewardmodel.train.SyntheticPreferences;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Private DPO: per-pair losses and gradients (loop, hand-written passes, full batch) against the float64 preference
 * loss; the non-private limit against {@link DpoTrainer}; a private run lowers the loss and reports its epsilon;
 * bad losses are refused.
 */
class DpDpoTrainerTest {

  private static final int CONTEXT = DpFixtures.CONTEXT;

  /** Pairs with a prompt of 1 to 3 tokens and responses of 0 to 4 tokens, and arbitrary reference sums. */
  static List<PolicyPair> pairs(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<PolicyPair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int prompt = 1 + random.nextInt(3);
      out.add(new PolicyPair(sequence(random, prompt), sequence(random, prompt), 1 + prompt,
          -3 - 4 * random.nextDouble(), -3 - 4 * random.nextDouble()));
    }
    return out;
  }

  private static int[] sequence(SplittableRandom random, int prompt) {
    int[] s = new int[2 + prompt + random.nextInt(5)];
    s[0] = 256;
    for (int t = 1; t < s.length; t++) {
      s[t] = 97 + random.nextInt(6);
    }
    return s;
  }

  @Test
  void perPairLossesAndGradientsMatchTheFloat64LossAndTheFullBatch() {
    TransformerLm model = DpFixtures.model(31);
    List<PolicyPair> batch = pairs(5, 8);
    PreferenceLoss ipo = PreferenceLoss.builder().type(PreferenceLossType.IPO).beta(0.5).build();
    PreferencePairLoss loss = new PreferencePairLoss(ipo);

    DpFixtures.FullBatch g = DpFixtures.fullBatch(model.weights(), Map.of(), loss, batch, CONTEXT);
    Map<String, INDArray> full = g.gradients();

    // float64 reference: the policy's own response sums through PreferenceLoss
    int n = batch.size();
    double[] pc = new double[n];
    double[] pr = new double[n];
    List<int[]> sequences = new ArrayList<>();
    batch.forEach(p -> {
      sequences.add(p.chosen());
      sequences.add(p.rejected());
    });
    List<float[]> lp = model.tokenLogProbs(sequences);
    for (int i = 0; i < n; i++) {
      for (int t = batch.get(i).responseStart() - 1; t < lp.get(2 * i).length; t++) {
        pc[i] += lp.get(2 * i)[t];
      }
      for (int t = batch.get(i).responseStart() - 1; t < lp.get(2 * i + 1).length; t++) {
        pr[i] += lp.get(2 * i + 1)[t];
      }
    }
    double[] expected = ipo.perExample(new PreferenceBatch(pc, pr,
        batch.stream().mapToDouble(PolicyPair::referenceChosen).toArray(),
        batch.stream().mapToDouble(PolicyPair::referenceRejected).toArray(),
        batch.stream().mapToInt(PolicyPair::chosenTokens).toArray(),
        batch.stream().mapToInt(PolicyPair::rejectedTokens).toArray()));
    double[] graph = g.losses();
    for (int i = 0; i < n; i++) {
      assertThat(graph[i]).as("pair " + i).isCloseTo(expected[i], within(1e-4 * Math.max(1, expected[i])));
    }

    PerExampleGradients<PolicyPair> loop =
        GradientPath.LOOP.build(model.weights(), Map.of(), loss, CONTEXT, 1, false);
    List<Map<String, INDArray>> perExample = loop.compute(batch);
    Map<String, INDArray> sum = DpFixtures.zerosLike(full);
    perExample.forEach(one -> one.forEach((k, v) -> sum.get(k).addi(v)));
    assertThat(maxAbs(full)).isGreaterThan(1e-2);
    assertThat(maxDiff(sum, full)).isLessThan(1e-4 * maxAbs(full));

    List<Map<String, INDArray>> vec = GradientPath.BACKPROP.build(model.weights(), Map.of(), loss, CONTEXT, 3, false).compute(batch);
    for (int i = 0; i < n; i++) {
      assertThat(maxDiff(vec.get(i), perExample.get(i))).as("pair " + i)
          .isLessThan(1e-5 * Math.max(1, maxAbs(perExample.get(i))));
    }
  }

  @Test
  void withoutNoiseAndClippingAtQOneTheStepIsDpoTrainersStep() {
    Dataset<PreferencePair> data = SyntheticPreferences.lengthBalanced(6, 2);
    TransformerLm dpPolicy = TinyModels.perturbed(24, 3, 0.05);
    TransformerLm plain = TinyModels.perturbed(24, 3, 0.05);
    PreferenceLoss sigmoid = PreferenceLoss.builder().beta(0.1).build();
    DpSgdConfig dp = DpSgdConfig.builder().noiseMultiplier(0).sampleRate(1).steps(1)
        .clipNorm(1e9).learningRate(1e-3).weightDecay(0.01).gradientPath(GradientPath.BACKPROP).build();
    DpTrainingResult r = new DpDpoTrainer(dp, sigmoid).train(dpPolicy, dpPolicy.copy(), data);
    new DpoTrainer(DpoConfig.builder().loss(sigmoid).batchSize(6).maxSteps(1).learningRate(1e-3).weightDecay(0.01)
        .clipNorm(Double.POSITIVE_INFINITY).build()).train(plain, plain.copy(), data, null);
    assertThat(r.epsilon()).isInfinite();
    Map<String, INDArray> before = TinyModels.perturbed(24, 3, 0.05).weights().asMap();
    assertThat(maxDiff(dpPolicy.weights().asMap(), before)).isGreaterThan(5e-4);
    for (Map.Entry<String, INDArray> e : dpPolicy.weights().asMap().entrySet()) {
      // key biases shift every attention score of a query alike: their true gradient is 0 and AdamW's first
      // step (about lr * g / |g|) turns float rounding into noise
      if (!e.getKey().endsWith(".attn.bk")) {
        assertThat(e.getValue().sub(plain.weights().get(e.getKey())).amaxNumber().doubleValue()).as(e.getKey())
            .isLessThan(1e-5);
      }
    }
  }

  @Test
  void privateDpoLowersTheLossAndReportsTheAccountantsEpsilon() {
    Dataset<PreferencePair> data = SyntheticPreferences.lengthBalanced(64, 5);
    TransformerLm policy = TinyModels.perturbed(24, 4, 0.05);
    DpSgdConfig dp = DpSgdConfig.builder().noiseMultiplier(0.8).expectedBatchSize(16).steps(12).clipNorm(1.0)
        .learningRate(1e-2).weightDecay(0).gradientPath(GradientPath.BACKPROP).physicalBatchSize(16).seed(2)
        .build();
    PreferenceLoss sigmoid = PreferenceLoss.builder().beta(0.5).build();
    DpTrainingResult r = new DpDpoTrainer(dp, sigmoid).train(policy, policy.copy(), data);
    List<Double> losses = r.history().stream().map(StepMetrics::loss).filter(x -> !Double.isNaN(x)).toList();
    assertThat(losses.get(0)).isCloseTo(Math.log(2), within(1e-3)); // the policy is its own reference
    assertThat(r.finalLoss()).isLessThan(Math.log(2) - 0.1);
    assertThat(r.epsilon()).isFinite().isPositive()
        .isEqualTo(new RdpAccountant().add(0.8, 0.25, 12).epsilon(1.0 / 64));
    assertThat(r.model().provenance().steps()).isEqualTo(policy.provenance().steps() + 12);
    TrainingStage stage = r.model().provenance().lastStage().orElseThrow();
    assertThat(stage.kind()).isEqualTo("dpo");
    assertThat(stage.dataFingerprint()).isEqualTo(DataFingerprint.ofPairs(data));
    assertThat(stage.settings().get("loss")).startsWith("PreferenceLoss{type=SIGMOID, beta=0.5");
    assertThat(stage.privacy().orElseThrow().epsilon()).isEqualTo(r.epsilon());
    assertThat(stage.privacy().orElseThrow().unit()).isEqualTo(PrivacyUnit.EXAMPLE);
  }

  @Test
  void refusesLossesThatCoupleThePairsOfABatch() {
    assertThatThrownBy(() -> new PreferencePairLoss(PreferenceLoss.builder().type(PreferenceLossType.AOT)
        .build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AOT");
    DpSgdConfig dp = DpSgdConfig.builder().noiseMultiplier(1).sampleRate(0.5).build();
    assertThatThrownBy(() -> new DpDpoTrainer(dp, PreferenceLoss.builder().nllWeight(0.5).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nllWeight")
        .hasMessageContaining("0.5");
    TransformerLm policy = TinyModels.perturbed(24, 1, 0.05);
    assertThatThrownBy(() -> new DpDpoTrainer(dp, PreferenceLoss.builder().build()).train(policy, null,
        SyntheticPreferences.lengthBalanced(4, 1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reference");
    assertThatThrownBy(() -> new PolicyPair(new int[] {1, 2}, new int[] {1, 2}, 2, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("responseStart")
        .hasMessageContaining("2");
  }
}
