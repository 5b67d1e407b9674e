package org.align4j.rewardmodel.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.dp.ClippingMode;
import org.align4j.core.dp.DpFixtures;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.dp.EpsilonPoint;
import org.align4j.core.dp.GradientPath;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.privacy.MechanismStep;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.privacy.RdpAccountant;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.StepMetrics;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link RewardTrainer} with privacy settings: it learns the synthetic pattern by DP-SGD with pair-level privacy
 * and reports the accountant's epsilon, in its result and the model's history; without noise and clipping at q = 1
 * it takes the non-private trainer's step; it repeats from its seed; bad input, and settings a private run cannot
 * honour, fail.
 */
class PrivateRewardTest {

  /** One layer sees the token before the EOS; as in the non-private reward trainer's tests. */
  private static final TransformerConfig CONFIG = TransformerConfig.builder()
      .vocabSize(ByteTokenizer.INSTANCE.vocabSize()).contextLength(24).dModel(16).heads(2).layers(1).mlpRatio(2)
      .build();

  private static TransformerRewardModel fresh(long seed) {
    return TransformerRewardModel.create(CONFIG, ByteTokenizer.INSTANCE, seed);
  }

  private static RewardTrainer trainer(PrivacySettings privacy, long steps) {
    return new RewardTrainer(RewardTrainerConfig.builder().maxSteps(steps).privacy(privacy).build());
  }

  private static double accuracy(TransformerRewardModel model, Dataset<PreferencePair> pairs) {
    List<PreferencePair> list = pairs.toList();
    List<String> prompts = list.stream().map(PreferencePair::prompt).toList();
    double[] rc = model.score(prompts, list.stream().map(PreferencePair::chosen).toList());
    double[] rr = model.score(prompts, list.stream().map(PreferencePair::rejected).toList());
    return BradleyTerryLoss.metrics(rc, rr).accuracy();
  }

  @Test
  void privateTrainingLearnsThePatternAndReportsTheAccountantsEpsilon() {
    PrivacySettings privacy = PrivacySettings.builder().noiseMultiplier(0.6).expectedBatchSize(32).clipNorm(1.0)
        .gradientPath(GradientPath.BACKPROP).physicalBatchSize(16).epsilonEvery(20).build();
    RewardTrainerConfig config = RewardTrainerConfig.builder().maxSteps(40).learningRate(2e-2).weightDecay(0)
        .privacy(privacy).seed(7).build();
    TransformerRewardModel model = fresh(3);
    Dataset<PreferencePair> heldOut = SyntheticPreferences.lengthBalanced(64, 13);
    assertThat(accuracy(model, heldOut)).isLessThan(0.75);
    RewardTrainingResult t = new RewardTrainer(config).train(model, SyntheticPreferences.lengthBalanced(256, 3));
    DpTrainingResult r = t.privacy().orElseThrow();

    assertThat(accuracy(t.model(), heldOut)).isGreaterThanOrEqualTo(0.85);
    List<Double> losses = t.history().stream().map(StepMetrics::loss).filter(x -> !Double.isNaN(x)).toList();
    double first = losses.subList(0, 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertThat(first).isBetween(0.6, 0.8); // about ln 2 before training
    assertThat(t.finalLoss()).isLessThan(first - 0.2).isEqualTo(r.finalLoss());

    assertThat(t.steps()).isEqualTo(40).isEqualTo(r.steps());
    assertThat(r.sampleRate()).isEqualTo(0.125);
    assertThat(r.delta()).isEqualTo(1.0 / 256);
    assertThat(r.gradientPath()).isEqualTo(GradientPath.BACKPROP);
    assertThat(r.privacyHistory()).containsExactly(new MechanismStep(0.6, 0.125, 40));
    double expected = new RdpAccountant().add(0.6, 0.125, 40).epsilon(1.0 / 256);
    assertThat(r.epsilon()).isFinite().isPositive().isEqualTo(expected);
    assertThat(r.epsilons()).extracting(EpsilonPoint::step).containsExactly(20L, 40L);
    assertThat(t.model().provenance().steps()).isEqualTo(40);
    assertThat(t.model().provenance().dataName()).startsWith("synthetic-length-balanced");
    TrainingStage stage = t.model().provenance().lastStage().orElseThrow();
    assertThat(stage.kind()).isEqualTo("reward");
    assertThat(stage.privacy().orElseThrow().epsilon()).isEqualTo(expected);
    assertThat(stage.privacy().orElseThrow().unit()).isEqualTo(PrivacyUnit.EXAMPLE);
    assertThat(stage.settings()).containsEntry("privacy.noiseMultiplier", "0.6").containsEntry("useMargins", "true");
    // the live arrays of the model given were trained
    assertThat(t.model().headWeight()).isSameAs(model.headWeight());
  }

  @Test
  void withoutNoiseAndClippingAtQOneTheStepIsTheNonPrivateTrainersStep() {
    Dataset<PreferencePair> data = SyntheticPreferences.lengthBalanced(6, 21);
    TransformerRewardModel dpModel = fresh(5);
    TransformerRewardModel plain = fresh(5);
    RewardTrainerConfig config = RewardTrainerConfig.builder().batchSize(6).maxSteps(1).learningRate(1e-3)
        .weightDecay(0.01).clipNorm(Double.POSITIVE_INFINITY).useMargins(false).build();
    PrivacySettings privacy = PrivacySettings.builder().noiseMultiplier(0).sampleRate(1).clipNorm(1e9)
        .gradientPath(GradientPath.LOOP).build();
    DpTrainingResult r =
        new RewardTrainer(config.toBuilder().privacy(privacy).build()).train(dpModel, data).privacy().orElseThrow();
    assertThat(new RewardTrainer(config).train(plain, data).privacy()).isEmpty();

    assertThat(r.epsilon()).isInfinite();
    assertThat(r.privacyHistory()).isEmpty();
    assertThat(r.clippedFraction()).isZero();
    assertThat(diff(dpModel.headWeight(), plain.headWeight())).isLessThan(1e-5);
    assertThat(dpModel.headBias().getDouble(0)).isEqualTo(plain.headBias().getDouble(0));
    Map<String, INDArray> a = dpModel.backbone().weights().asMap();
    Map<String, INDArray> b = plain.backbone().weights().asMap();
    for (Map.Entry<String, INDArray> e : a.entrySet()) {
      // The final layer norm's bias and the key biases shift every reward (every attention score) alike, so
      // their true gradient is 0 and AdamW's first step, about lr * g / |g|, turns float rounding into noise.
      if (!e.getKey().equals("lnf.b") && !e.getKey().endsWith(".attn.bk")) {
        assertThat(diff(e.getValue(), b.get(e.getKey()))).as(e.getKey()).isLessThan(1e-5);
      }
    }
    // and the step did move the weights
    assertThat(DpFixtures.maxDiff(a, fresh(5).backbone().weights().asMap())).isGreaterThan(5e-4);
  }

  @Test
  void theSameSeedGivesTheSameWeights() {
    Dataset<PreferencePair> data = SyntheticPreferences.lengthBalanced(12, 4);
    PrivacySettings privacy = PrivacySettings.builder().noiseMultiplier(1.0).sampleRate(0.5)
        .clippingMode(ClippingMode.PER_LAYER).delta(1e-3).build();
    RewardTrainerConfig.Builder b = RewardTrainerConfig.builder().maxSteps(2).learningRate(1e-3).weightDecay(0.01)
        .privacy(privacy).seed(9);
    TransformerRewardModel m1 = new RewardTrainer(b.build()).train(fresh(2), data).model();
    TransformerRewardModel m2 = new RewardTrainer(b.build()).train(fresh(2), data).model();
    TransformerRewardModel m3 = new RewardTrainer(b.seed(10).build()).train(fresh(2), data).model();
    assertThat(m1.headWeight()).isEqualTo(m2.headWeight()).isNotEqualTo(m3.headWeight());
    Map<String, INDArray> w2 = m2.backbone().weights().asMap();
    m1.backbone().weights().asMap().forEach((k, v) -> assertThat(w2.get(k)).as(k).isEqualTo(v));
  }

  @Test
  void theBatchSizeIsTheDefaultExpectedBatchSizeAndEvaluationRunsOnceAtTheEnd() {
    PrivacySettings privacy = PrivacySettings.builder().noiseMultiplier(1).build();
    RewardTrainingResult t = new RewardTrainer(RewardTrainerConfig.builder().batchSize(4).maxSteps(2)
        .privacy(privacy).build()).train(fresh(1), SyntheticPreferences.lengthBalanced(16, 2),
        SyntheticPreferences.lengthBalanced(6, 3));
    assertThat(t.privacy().orElseThrow().sampleRate()).isEqualTo(0.25);
    assertThat(t.evaluations()).hasSize(1);
    RewardEvalMetrics eval = t.finalEvaluation().orElseThrow();
    assertThat(eval.step()).isEqualTo(2);
    assertThat(eval.pairs()).isEqualTo(6);
    assertThat(eval.loss()).isFinite().isPositive();
  }

  @Test
  void badInputNamesTheParameterAndValue() {
    PrivacySettings ok = PrivacySettings.builder().noiseMultiplier(1).sampleRate(0.5).build();
    assertThatThrownBy(() -> trainer(ok, 1).train(fresh(1), Dataset.of("none", List.<PreferencePair>of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none").hasMessageContaining("empty");
    Dataset<PreferencePair> tooLong =
        Dataset.of("long", List.of(new PreferencePair("p7", "ab:", "x".repeat(30), "y.")));
    assertThatThrownBy(() -> trainer(ok, 1).train(fresh(1), tooLong))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p7").hasMessageContaining("30");
    PrivacySettings tooLarge = PrivacySettings.builder().noiseMultiplier(1).expectedBatchSize(20).build();
    assertThatThrownBy(() -> trainer(tooLarge, 0).train(fresh(1), SyntheticPreferences.lengthBalanced(8, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedBatchSize")
        .hasMessageContaining("20.0");
    assertThatThrownBy(() -> new RewardPair(new int[] {1}, new int[] {2}, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("margin").hasMessageContaining("NaN");
    assertThatThrownBy(() -> new RewardPair(new int[0], new int[] {2}, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chosen").hasMessageContaining("0");
    assertThatThrownBy(() -> PrivacySettings.builder().noiseMultiplier(-1).sampleRate(0.5).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noiseMultiplier")
        .hasMessageContaining("-1.0");
  }

  @Test
  void settingsThatAPrivateRunCannotHonourAreRefused() {
    RewardTrainerConfig.Builder b = RewardTrainerConfig.builder()
        .privacy(PrivacySettings.builder().noiseMultiplier(1).sampleRate(0.5).build());
    assertThatThrownBy(() -> b.centerRewardsCoefficient(0.01).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("centerRewardsCoefficient is 0.01 but privacy is enabled: private training has no centring term");
    b.centerRewardsCoefficient(0);
    assertThatThrownBy(() -> b.evalEvery(5).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("evalEvery is 5 but privacy is enabled: a private run evaluates once, at the end");
    b.evalEvery(0);
    assertThatThrownBy(() -> b.checkpoints(Path.of("ckpt"), 3).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkpointEvery is 3 but privacy is enabled: a private run saves no checkpoints");
    // without privacy, all three are the trainer's ordinary settings
    assertThat(b.privacy(PrivacySettings.none()).centerRewardsCoefficient(0.01).evalEvery(5).build().checkpointEvery())
        .isEqualTo(3);
  }

  private static double diff(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }
}
