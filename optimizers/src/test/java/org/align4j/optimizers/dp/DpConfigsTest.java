package org.align4j.optimizers.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.align4j.core.dp.DpSgdConfig;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.train.OptimizerSettings;
import org.align4j.optimizers.ppo.PpoConfig;
import org.junit.jupiter.api.Test;

/**
 * The DP configs compose {@link PrivacySettings} and {@link OptimizerSettings} (one store per value), and private
 * PPO refuses the PPO settings it does not use instead of ignoring them.
 */
class DpConfigsTest {

  private static final DpSgdConfig DP = DpSgdConfig.builder().noiseMultiplier(1).sampleRate(0.5).steps(1).build();

  @Test
  void dpSftConfigComposesPrivacyAndOptimizerSettings() {
    PrivacySettings privacy = PrivacySettings.builder().targetEpsilon(2).expectedBatchSize(4).delta(1e-4)
        .clipNorm(0.5).accountant(PrivacySettings.Accountant.PLD).build();
    OptimizerSettings optimizer = OptimizerSettings.builder().learningRate(1e-2).warmupSteps(2).weightDecay(0)
        .clipNorm(Double.POSITIVE_INFINITY).build();
    DpSgdConfig byRecords = DpSgdConfig.builder().privacy(privacy).optimizer(optimizer).steps(5).seed(3).build();
    DpSgdConfig bySetters = DpSgdConfig.builder().targetEpsilon(2).expectedBatchSize(4).delta(1e-4).clipNorm(0.5)
        .accountant(PrivacySettings.Accountant.PLD).learningRate(1e-2).warmupSteps(2).weightDecay(0).steps(5)
        .seed(3).build();
    assertThat(bySetters).isEqualTo(byRecords);
    assertThat(byRecords.privacy()).isEqualTo(privacy);
    assertThat(byRecords.optimizer()).isEqualTo(optimizer);
    assertThat(byRecords.toBuilder().build()).isEqualTo(byRecords);
    // the default optimizer is OptimizerSettings' without a global clip: C clips each example instead
    assertThat(DP.optimizer()).isEqualTo(
        OptimizerSettings.builder().clipNorm(Double.POSITIVE_INFINITY).build());
    assertThat(DP.privacy().clipNorm()).isEqualTo(1.0);
  }

  @Test
  void dpSgdConfigRefusesSettingsItCannotUse() {
    assertThatThrownBy(() -> DpSgdConfig.builder().privacy(PrivacySettings.none()).steps(1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noiseMultiplier")
        .hasMessageContaining("targetEpsilon");
    assertThatThrownBy(() -> DP.toBuilder().targetEpsilon(3).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("targetEpsilon 3.0 and noiseMultiplier 1.0");
  }

  @Test
  void privatePpoRefusesEveryPpoSettingItWouldIgnore() {
    expectUnused(PpoConfig.builder().iterations(7), "ppo.iterations 7", "100");
    expectUnused(PpoConfig.builder().batchSize(4), "ppo.batchSize 4", "16");
    expectUnused(PpoConfig.builder().ppoEpochs(2), "ppo.ppoEpochs 2", "epochsPerBatch");
    expectUnused(PpoConfig.builder().learningRate(0.1), "ppo.optimizer", "learningRate=0.1");
    expectUnused(PpoConfig.builder().weightDecay(0.1), "ppo.optimizer", "weightDecay=0.1");
    expectUnused(PpoConfig.builder().clipNorm(5), "ppo.optimizer", "clipNorm=5.0");
    expectUnused(PpoConfig.builder().seed(11), "ppo.seed 11", "dp's seed");
    // the rollout and loss settings are used
    PpoConfig used = PpoConfig.builder().responseLength(3).temperature(1.0).klCoef(0.2).vfCoef(0.5).build();
    assertThat(new DpPpoConfig(DP, used).ppo()).isEqualTo(used);
  }

  @Test
  void ppoConfigKeepsAConstantLearningRate() {
    PpoConfig ppo = PpoConfig.builder().learningRate(1e-4).build();
    assertThat(ppo.optimizer()).isEqualTo(
        OptimizerSettings.builder().learningRate(1e-4).minLearningRateRatio(1).weightDecay(0).build());
    assertThat(ppo.toBuilder().build()).isEqualTo(ppo);
    assertThatThrownBy(() -> PpoConfig.builder().optimizer(OptimizerSettings.builder().warmupSteps(3)
        .minLearningRateRatio(1).build()).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warmupSteps").hasMessageContaining("3");
    assertThatThrownBy(() -> PpoConfig.builder().optimizer(OptimizerSettings.builder().build()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minLearningRateRatio")
        .hasMessageContaining("0.1");
  }

  private static void expectUnused(PpoConfig.Builder ppo, String... fragments) {
    PpoConfig config = ppo.build();
    var thrown = assertThatThrownBy(() -> new DpPpoConfig(DP, config)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not used by private PPO");
    for (String f : fragments) {
      thrown.hasMessageContaining(f);
    }
  }
}
