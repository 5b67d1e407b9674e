package org.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Defaults, validation and round trips of {@link OptimizerSettings}, and {@link SftConfig}'s use of it. */
class OptimizerSettingsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    OptimizerSettings s = OptimizerSettings.builder().build();
    assertThat(s).isEqualTo(new OptimizerSettings(1e-3, 0, 0.1, 0.01, 1.0));
  }

  @Test
  void eachBadValueIsNamedWithItsValue() {
    expectBad(b -> b.learningRate(0), "learningRate", "0.0");
    expectBad(b -> b.learningRate(-2), "learningRate", "-2.0");
    expectBad(b -> b.learningRate(Double.NaN), "learningRate", "NaN");
    expectBad(b -> b.learningRate(Double.POSITIVE_INFINITY), "learningRate", "Infinity");
    expectBad(b -> b.warmupSteps(-1), "warmupSteps", "-1");
    expectBad(b -> b.minLearningRateRatio(1.5), "minLearningRateRatio", "1.5");
    expectBad(b -> b.minLearningRateRatio(-0.1), "minLearningRateRatio", "-0.1");
    expectBad(b -> b.weightDecay(-0.5), "weightDecay", "-0.5");
    expectBad(b -> b.weightDecay(Double.POSITIVE_INFINITY), "weightDecay", "Infinity");
    expectBad(b -> b.clipNorm(0), "clipNorm", "0.0");
    expectBad(b -> b.clipNorm(-1), "clipNorm", "-1.0");
    // no clipping is allowed
    assertThat(OptimizerSettings.builder().clipNorm(Double.POSITIVE_INFINITY).build().clipNorm()).isInfinite();
  }

  @Test
  void toBuilderRoundTripsEverySetting() {
    OptimizerSettings s = OptimizerSettings.builder().learningRate(3e-4).warmupSteps(7).minLearningRateRatio(0.25)
        .weightDecay(0.05).clipNorm(2.5).build();
    assertThat(s.toBuilder().build()).isEqualTo(s);
    assertThat(s.toBuilder().learningRate(1e-2).build())
        .isEqualTo(new OptimizerSettings(1e-2, 7, 0.25, 0.05, 2.5));
  }

  @Test
  void sftConfigComposesOneOptimizerSettingsAndItsSettersChangeIt() {
    OptimizerSettings custom = OptimizerSettings.builder().learningRate(5e-3).warmupSteps(3).build();
    SftConfig byRecord = SftConfig.builder().batchSize(4).optimizer(custom).seed(9).build();
    SftConfig bySetters = SftConfig.builder().batchSize(4).learningRate(5e-3).warmupSteps(3).seed(9).build();
    assertThat(byRecord.optimizer()).isEqualTo(custom);
    assertThat(bySetters).isEqualTo(byRecord);
    assertThat(byRecord.toBuilder().build()).isEqualTo(byRecord);
    // a setter after optimizer(...) changes that one setting only
    assertThat(SftConfig.builder().optimizer(custom).clipNorm(3).build().optimizer())
        .isEqualTo(custom.toBuilder().clipNorm(3).build());
    assertThat(SftConfig.builder().build().optimizer()).isEqualTo(OptimizerSettings.builder().build());
    assertThat(byRecord.loopSettings().optimizer()).isEqualTo(custom);
    assertThatThrownBy(() -> SftConfig.builder().weightDecay(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weightDecay").hasMessageContaining("-1.0");
  }

  private static void expectBad(UnaryOperator<OptimizerSettings.Builder> settings, String... fragments) {
    var thrown = assertThatThrownBy(() -> settings.apply(OptimizerSettings.builder()).build())
        .isInstanceOf(IllegalArgumentException.class);
    for (String f : fragments) {
      thrown.hasMessageContaining(f);
    }
  }
}
