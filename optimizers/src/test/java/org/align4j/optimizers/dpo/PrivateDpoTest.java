package org.align4j.optimizers.dpo;

import static org.align4j.core.dp.DpFixtures.maxAbs;
import static org.align4j.core.dp.DpFixtures.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.dp.DpFixtures;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.dp.GradientPath;
import org.align4j.core.dp.PerExampleGradients;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.privacy.RdpAccountant;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.train.StepMetrics;
import org.align4j.optimizers.preference.PreferenceBatch;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.align4j.optimizers.preference.PreferenceLossType;
import org.align4j.rewardmodel.train.SyntheticPreferences;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link DpoTrainer} with privacy settings: per-pair losses and gradients (loop, hand-written passes, full batch)
 * against the float64 preference loss; the non-private limit of the private path against the plain one; a private
 * run lowers the loss, reports its epsilon and evaluates once at the end; settings the private path cannot honour
 * are refused.
 */
class PrivateDpoTest {

  private static final int CONTEXT = DpFixtures.CONTEXT;

  @Test
  void perPairLossesAndGradientsMatchTheFloat64LossAndTheFullBatch() {
    TransformerLm model = DpFixtures.model(31);
    List<PolicyPair> batch = PolicyPairs.random(5, 8);
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

    List<Map<String, INDArray>> vec =
        GradientPath.BACKPROP.build(model.weights(), Map.of(), loss, CONTEXT, 3, false).compute(batch);
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
    PrivacySettings noiseFree = PrivacySettings.builder().noiseMultiplier(0).sampleRate(1).clipNorm(1e9)
        .gradientPath(GradientPath.BACKPROP).build();
    DpoConfig config = DpoConfig.builder().loss(sigmoid).batchSize(6).maxSteps(1).learningRate(1e-3)
        .weightDecay(0.01).build();
    DpTrainingResult r = new DpoTrainer(config.toBuilder().privacy(noiseFree).build())
        .train(dpPolicy, dpPolicy.copy(), data, null).privacy().orElseThrow();
    new DpoTrainer(config.toBuilder().clipNorm(Double.POSITIVE_INFINITY).build())
        .train(plain, plain.copy(), data, null);
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
    Dataset<PreferencePair> heldOut = SyntheticPreferences.lengthBalanced(8, 6);
    // the expected batch size is the trainer's batch size, 16 of 64 pairs
    PrivacySettings privacy = PrivacySettings.builder().noiseMultiplier(0.8).clipNorm(1.0)
        .gradientPath(GradientPath.BACKPROP).physicalBatchSize(16).build();
    PreferenceLoss sigmoid = PreferenceLoss.builder().beta(0.5).build();
    DpoConfig config = DpoConfig.builder().loss(sigmoid).batchSize(16).maxSteps(12).learningRate(1e-2)
        .weightDecay(0).privacy(privacy).seed(2).build();
    DpoResult result = new DpoTrainer(config).train(policy, policy.copy(), data, heldOut);
    DpTrainingResult r = result.privacy().orElseThrow();
    assertThat(r.sampleRate()).isEqualTo(0.25);
    assertThat(result.model()).isSameAs(r.model());
    assertThat(result.steps()).isEqualTo(12);
    assertThat(result.finalLoss()).isEqualTo(r.finalLoss());
    assertThat(result.history()).isEmpty();
    // evaluated once, after training, as the plain path evaluates
    assertThat(result.evaluations()).hasSize(1);
    DpoEvalMetrics evaluation = result.lastEvaluation().orElseThrow();
    assertThat(evaluation.step()).isEqualTo(12);
    assertThat(evaluation.best()).isTrue();
    assertThat(evaluation.loss()).isFinite().isLessThan(Math.log(2));
    assertThat(evaluation.preference().accuracy()).isBetween(0.0, 1.0);
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
    assertThat(stage.settings()).containsEntry("privacy.noiseMultiplier", "0.8").containsEntry("batchSize", "16");
    assertThat(stage.privacy().orElseThrow().epsilon()).isEqualTo(r.epsilon());
    assertThat(stage.privacy().orElseThrow().unit()).isEqualTo(PrivacyUnit.EXAMPLE);
  }

  @Test
  void refusesLossesThatCoupleThePairsOfABatch() {
    assertThatThrownBy(() -> new PreferencePairLoss(PreferenceLoss.builder().type(PreferenceLossType.AOT)
        .build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AOT");
    DpoConfig.Builder dp = DpoConfig.builder()
        .privacy(PrivacySettings.builder().noiseMultiplier(1).sampleRate(0.5).build());
    assertThatThrownBy(() -> dp.loss(PreferenceLoss.builder().nllWeight(0.5).build()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nllWeight")
        .hasMessageContaining("0.5");
    TransformerLm policy = TinyModels.perturbed(24, 1, 0.05);
    DpoTrainer trainer = new DpoTrainer(dp.loss(PreferenceLoss.builder().build()).build());
    assertThatThrownBy(() -> trainer.train(policy, null, SyntheticPreferences.lengthBalanced(4, 1), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference");
    assertThatThrownBy(() -> new PolicyPair(new int[] {1, 2}, new int[] {1, 2}, 2, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("responseStart")
        .hasMessageContaining("2");
  }

  @Test
  void refusesSettingsThePrivatePathCannotHonourNamingThem() {
    DpoConfig.Builder dp = DpoConfig.builder()
        .privacy(PrivacySettings.builder().noiseMultiplier(1).sampleRate(0.5).build());
    assertThatThrownBy(() -> dp.evalEvery(5).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("evalEvery").hasMessageContaining("5");
    Path cache = Path.of("ref-cache.json");
    assertThatThrownBy(() -> dp.evalEvery(0).referenceCache(cache).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("referenceCache")
        .hasMessageContaining("ref-cache.json");
    // without privacy the same settings are the plain trainer's
    assertThat(dp.privacy(PrivacySettings.none()).evalEvery(5).build().referenceCache()).hasValue(cache);
    DpoConfig config = DpoConfig.builder().privacy(PrivacySettings.builder().targetEpsilon(4).build()).build();
    assertThat(config.toBuilder().build()).isEqualTo(config);
    assertThat(DpoConfig.builder().build().privacy()).isEqualTo(PrivacySettings.none());
  }
}
