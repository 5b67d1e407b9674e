package org.align4j.core.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.StepMetrics;
import org.align4j.core.privacy.MechanismStep;
import org.align4j.core.privacy.RdpAccountant;
import org.junit.jupiter.api.Test;

/** Private next-token training on a tiny model: it learns, reports its epsilon, repeats from its seed. */
class DpSftTrainerTest {

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

  @Test
  void privateTrainingLearnsAndReportsAFiniteEpsilon() {
    DpSftConfig config = DpSftConfig.builder().noiseMultiplier(0.5).expectedBatchSize(8).steps(15)
        .learningRate(3e-2).physicalBatchSize(4).epsilonEvery(5).seed(3).build();
    DpTrainingResult r = new DpSftTrainer(config).train(model(), corpus(32));
    List<Double> losses = r.history().stream().map(StepMetrics::loss).filter(x -> !Double.isNaN(x)).toList();
    double first = losses.subList(0, 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertThat(first).isGreaterThan(5.0); // about ln 259 before training
    assertThat(r.finalLoss()).isLessThan(first - 1.5);

    assertThat(r.steps()).isEqualTo(15);
    assertThat(r.sampleRate()).isEqualTo(0.25);
    assertThat(r.delta()).isEqualTo(1.0 / 32);
    assertThat(r.gradientPath()).as("the default path for SFT").isEqualTo(GradientPath.BACKPROP);
    assertThat(r.privacyHistory()).containsExactly(new MechanismStep(0.5, 0.25, 15));
    double expected = new RdpAccountant().add(0.5, 0.25, 15).epsilon(1.0 / 32);
    assertThat(r.epsilon()).isFinite().isPositive().isEqualTo(expected);
    assertThat(r.epsilons()).extracting(EpsilonPoint::step).containsExactly(5L, 10L, 15L);
    assertThat(r.epsilons().get(0).epsilon()).isLessThan(r.epsilons().get(2).epsilon());
    assertThat(r.clippedFraction()).isBetween(0.0, 1.0);
    assertThat(r.model().provenance().steps()).isEqualTo(15);
  }

  @Test
  void theSameSeedGivesTheSameWeightsAndATargetEpsilonIsMet() {
    DpSftConfig.Builder b = DpSftConfig.builder().targetEpsilon(4).sampleRate(0.25).steps(3)
        .clippingMode(ClippingMode.PER_LAYER).gradientPath(GradientPath.LOOP).delta(1e-3).seed(9);
    DpTrainingResult r1 = new DpSftTrainer(b.build()).train(model(), corpus(8));
    DpTrainingResult r2 = new DpSftTrainer(b.build()).train(model(), corpus(8));
    DpTrainingResult r3 = new DpSftTrainer(b.seed(10).build()).train(model(), corpus(8));
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
  void badSettingsNameTheParameterAndValue() {
    expectBad(b -> b.noiseMultiplier(0).sampleRate(0.1), "noiseMultiplier", "0.0");
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
    expectBad(b -> b.noiseMultiplier(0.5).sampleRate(0.1).nonPrivate(true), "noiseMultiplier", "0.5");
    // sigma 0 is allowed only with the explicit non-private switch
    assertThat(DpSftConfig.builder().noiseMultiplier(0).sampleRate(0.1).nonPrivate(true).build().nonPrivate())
        .isTrue();
    DpSftConfig tooLarge = DpSftConfig.builder().noiseMultiplier(1).expectedBatchSize(20).build();
    assertThatThrownBy(() -> new DpSftTrainer(tooLarge).train(model(), corpus(8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedBatchSize")
        .hasMessageContaining("20.0");
  }

  private static void expectBad(Consumer<DpSftConfig.Builder> settings, String... fragments) {
    DpSftConfig.Builder b = DpSftConfig.builder();
    settings.accept(b);
    var thrown = assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class);
    for (String f : fragments) {
      thrown.hasMessageContaining(f);
    }
  }
}
