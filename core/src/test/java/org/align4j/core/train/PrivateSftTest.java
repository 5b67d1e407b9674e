package org.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.dp.ClippingMode;
import org.align4j.core.dp.DpSgdConfig;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.dp.EpsilonPoint;
import org.align4j.core.dp.GradientPath;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.privacy.MechanismStep;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.privacy.RdpAccountant;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;

/**
 * {@link SftTrainer} with privacy settings on a tiny model: it learns by DP-SGD, reports the accountant's epsilon,
 * records it in the model's history, and repeats from its seed.
 */
class PrivateSftTest {

  private static Dataset<TextExample> corpus(int n) {
    List<TextExample> examples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      examples.add(new TextExample("t" + i, i % 2 == 0 ? "abab" : "baba"));
    }
    return Dataset.of("ab", examples);
  }

  private static TransformerLm model() {
    return TransformerLm.create(TinyModels.config(8), ByteTokenizer.INSTANCE, 1);
  }

  private static TrainingResult train(SftConfig config, int examples) {
    return new SftTrainer(config).train(model(), corpus(examples));
  }

  @Test
  void privateTrainingLearnsAndReportsAFiniteEpsilon() {
    PrivacySettings privacy = PrivacySettings.builder().noiseMultiplier(0.5).expectedBatchSize(8)
        .physicalBatchSize(4).epsilonEvery(5).build();
    TrainingResult t = train(SftConfig.builder().maxSteps(15).learningRate(3e-2).seed(3).privacy(privacy).build(), 32);
    DpTrainingResult r = t.privacy().orElseThrow();
    List<Double> losses = t.history().stream().map(StepMetrics::loss).filter(x -> !Double.isNaN(x)).toList();
    double first = losses.subList(0, 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertThat(first).isGreaterThan(5.0); // about ln 259 before training
    assertThat(t.finalLoss()).isLessThan(first - 1.5);

    assertThat(t.steps()).isEqualTo(15);
    assertThat(r.sampleRate()).isEqualTo(0.25);
    assertThat(r.delta()).isEqualTo(1.0 / 32);
    assertThat(r.gradientPath()).as("the default path for SFT").isEqualTo(GradientPath.BACKPROP);
    assertThat(r.privacyHistory()).containsExactly(new MechanismStep(0.5, 0.25, 15));
    double expected = new RdpAccountant().add(0.5, 0.25, 15).epsilon(1.0 / 32);
    assertThat(r.epsilon()).isFinite().isPositive().isEqualTo(expected);
    assertThat(r.epsilons()).extracting(EpsilonPoint::step).containsExactly(5L, 10L, 15L);
    assertThat(r.epsilons().get(0).epsilon()).isLessThan(r.epsilons().get(2).epsilon());
    assertThat(r.clippedFraction()).isBetween(0.0, 1.0);
    TrainingStage stage = t.model().provenance().lastStage().orElseThrow();
    assertThat(stage.kind()).isEqualTo("sft");
    assertThat(stage.steps()).isEqualTo(15);
    assertThat(stage.privacy().orElseThrow().epsilon()).isEqualTo(expected);
    assertThat(stage.settings()).containsEntry("privacy.noiseMultiplier", "0.5");
  }

  @Test
  void theBatchSizeIsTheDefaultExpectedBatchSizeAndEvaluationRunsOnceAtTheEnd() {
    PrivacySettings privacy = PrivacySettings.builder().noiseMultiplier(1).build();
    SftTrainer trainer = new SftTrainer(SftConfig.builder().batchSize(4).maxSteps(2).privacy(privacy).build());
    TrainingResult t = trainer.train(model(), corpus(16), corpus(4));
    assertThat(t.privacy().orElseThrow().sampleRate()).isEqualTo(0.25);
    assertThat(t.evaluations()).hasSize(1);
    assertThat(t.bestEvalLoss()).isFinite().isEqualTo(t.evaluations().get(0).loss());
  }

  @Test
  void theSameSeedGivesTheSameWeightsAndATargetEpsilonIsMet() {
    PrivacySettings privacy = PrivacySettings.builder().targetEpsilon(4).sampleRate(0.25)
        .clippingMode(ClippingMode.PER_LAYER).gradientPath(GradientPath.LOOP).delta(1e-3).build();
    SftConfig.Builder b = SftConfig.builder().maxSteps(3).privacy(privacy).seed(9);
    DpTrainingResult r1 = train(b.build(), 8).privacy().orElseThrow();
    DpTrainingResult r2 = train(b.build(), 8).privacy().orElseThrow();
    DpTrainingResult r3 = train(b.seed(10).build(), 8).privacy().orElseThrow();
    assertThat(r1.epsilon()).isLessThanOrEqualTo(4.0).isGreaterThan(3.9);
    assertThat(r1.noiseMultiplier()).isEqualTo(r2.noiseMultiplier());
    assertThat(r1.gradientPath()).isEqualTo(GradientPath.LOOP);
    boolean differs = false;
    for (var e : r1.model().weights().asMap().entrySet()) {
      assertThat(r2.model().weights().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      differs |= !r3.model().weights().get(e.getKey()).equals(e.getValue());
    }
    assertThat(differs).isTrue();
  }

  @Test
  void aNoiseMultiplierOfZeroIsTheNonPrivateBaselineWithoutAGuarantee() {
    PrivacySettings privacy = PrivacySettings.builder().noiseMultiplier(0).sampleRate(0.5).build();
    TrainingResult t = train(SftConfig.builder().maxSteps(2).privacy(privacy).build(), 8);
    assertThat(t.privacy().orElseThrow().epsilon()).isInfinite();
    assertThat(t.model().provenance().lastStage().orElseThrow().isPrivate()).isFalse();
  }

  @Test
  void withoutPrivacyNoPrivacySettingIsRecorded() {
    TrainingResult t = train(SftConfig.builder().maxSteps(1).build(), 4);
    assertThat(t.privacy()).isEmpty();
    assertThat(t.model().provenance().lastStage().orElseThrow().settings()).isNotEmpty()
        .allSatisfy((k, v) -> assertThat(k).doesNotStartWith("privacy."));
  }

  @Test
  void badSettingsNameTheParameterAndValue() {
    expectBad(b -> b.noiseMultiplier(-1).sampleRate(0.1), "noiseMultiplier", "-1.0");
    expectBad(b -> b.noiseMultiplier(1).targetEpsilon(2).sampleRate(0.1), "noiseMultiplier", "targetEpsilon");
    expectBad(b -> b.sampleRate(0.1), "noiseMultiplier", "targetEpsilon");
    expectBad(b -> b.targetEpsilon(-2).sampleRate(0.1), "targetEpsilon", "-2.0");
    expectBad(b -> b.noiseMultiplier(1).sampleRate(0), "sampleRate", "0.0");
    expectBad(b -> b.noiseMultiplier(1).sampleRate(1.5), "sampleRate", "1.5");
    expectBad(b -> b.noiseMultiplier(1), "sampleRate", "expectedBatchSize");
    expectBad(b -> b.noiseMultiplier(1).sampleRate(0.1).delta(0), "delta", "0.0");
    expectBad(b -> b.noiseMultiplier(1).sampleRate(0.1).delta(1), "delta", "1.0");
    expectBad(b -> b.noiseMultiplier(1).sampleRate(0.1).clipNorm(0), "clipNorm", "0.0");
    expectBad(b -> b.noiseMultiplier(1).sampleRate(0.1).clipNorm(-3), "clipNorm", "-3.0");
    expectBad(b -> b.noiseMultiplier(1).sampleRate(0.1).physicalBatchSize(0), "physicalBatchSize", "0");
    PrivacySettings some = PrivacySettings.builder().noiseMultiplier(1).build();
    assertThatThrownBy(() -> SftConfig.builder().privacy(some).evalEvery(5).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evalEvery is 5");
    assertThatThrownBy(() -> SftConfig.builder().privacy(some).patience(2).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("patience is 2");
    PrivacySettings tooLarge = PrivacySettings.builder().noiseMultiplier(1).expectedBatchSize(20).build();
    assertThatThrownBy(() -> train(SftConfig.builder().privacy(tooLarge).build(), 8))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedBatchSize")
        .hasMessageContaining("20.0");
  }

  private static void expectBad(Consumer<PrivacySettings.Builder> settings, String... fragments) {
    PrivacySettings.Builder b = PrivacySettings.builder();
    settings.accept(b);
    var thrown = assertThatThrownBy(() -> DpSgdConfig.builder().privacy(b.build()).build())
        .isInstanceOf(IllegalArgumentException.class);
    for (String f : fragments) {
      thrown.hasMessageContaining(f);
    }
  }
}
