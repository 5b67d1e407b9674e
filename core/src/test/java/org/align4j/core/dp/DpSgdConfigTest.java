package org.align4j.core.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.train.OptimizerSettings;
import org.junit.jupiter.api.Test;

/**
 * {@link DpSgdConfig} composes {@link PrivacySettings} and {@link OptimizerSettings} (one store per value). (The
 * trainers' own privacy settings are tested beside them: {@code PrivateSftTest}, {@code PrivateRewardTest},
 * {@code PrivateDpoTest}, {@code PrivatePpoTest}.)
 */
class DpSgdConfigTest {

  private static final DpSgdConfig DP = DpSgdConfig.builder()
      .privacy(PrivacySettings.builder().noiseMultiplier(1).sampleRate(0.5).build()).steps(1).build();

  @Test
  void composesPrivacyAndOptimizerSettings() {
    PrivacySettings privacy = PrivacySettings.builder().targetEpsilon(2).expectedBatchSize(4).delta(1e-4)
        .clipNorm(0.5).accountant(PrivacySettings.Accountant.PLD).build();
    OptimizerSettings optimizer = OptimizerSettings.builder().learningRate(1e-2).warmupSteps(2).weightDecay(0)
        .clipNorm(Double.POSITIVE_INFINITY).build();
    DpSgdConfig byRecords = DpSgdConfig.builder().privacy(privacy).optimizer(optimizer).steps(5).seed(3).build();
    assertThat(byRecords.privacy()).isEqualTo(privacy);
    assertThat(byRecords.optimizer()).isEqualTo(optimizer);
    assertThat(byRecords.toBuilder().build()).isEqualTo(byRecords);
    // the default optimizer is OptimizerSettings' without a global clip: C clips each example instead
    assertThat(DP.optimizer()).isEqualTo(
        OptimizerSettings.builder().clipNorm(Double.POSITIVE_INFINITY).build());
    assertThat(DP.privacy().clipNorm()).isEqualTo(1.0);
  }

  @Test
  void refusesSettingsItCannotUse() {
    assertThatThrownBy(() -> DpSgdConfig.builder().privacy(PrivacySettings.none()).steps(1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noiseMultiplier")
        .hasMessageContaining("targetEpsilon");
    assertThatThrownBy(() -> DP.toBuilder()
        .privacy(PrivacySettings.builder().noiseMultiplier(1).build()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleRate")
        .hasMessageContaining("expectedBatchSize");
    assertThatThrownBy(() -> DP.toBuilder().steps(-1).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("steps").hasMessageContaining("-1");
  }

  @Test
  void aTrainersRunTakesItsBatchSizeUnlessThePrivacySettingsGiveTheirOwnSampling() {
    OptimizerSettings optimizer = OptimizerSettings.builder().learningRate(1e-2).build();
    PrivacySettings noSampling = PrivacySettings.builder().noiseMultiplier(1).build();
    DpSgdConfig run = DpSgdConfig.of(noSampling, 8, optimizer, 5, 2, 3);
    assertThat(run.privacy().expectedBatchSize()).hasValue(8.0);
    assertThat(run.optimizer()).isEqualTo(optimizer);
    assertThat(run.steps()).isEqualTo(5);
    assertThat(run.epochs()).isEqualTo(2);
    assertThat(run.seed()).isEqualTo(3);
    PrivacySettings ownRate = noSampling.toBuilder().sampleRate(0.25).build();
    assertThat(DpSgdConfig.of(ownRate, 8, optimizer, 5, 2, 3).privacy()).isEqualTo(ownRate);
  }
}
