package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.train.OptimizerSettings;
import org.junit.jupiter.api.Test;

/** The optimizer and privacy mixins build {@link OptimizerSettings} and {@link PrivacySettings}. */
class PrivacyOptionsSettingsTest {

  @Test
  void theOptionsBuildTheSettingsRecords() {
    OptimizerOptions optimizer = new OptimizerOptions(3e-3, 20, 0.01, 1.0);
    assertThat(optimizer.settings()).isEqualTo(OptimizerSettings.builder().learningRate(3e-3).warmupSteps(20)
        .weightDecay(0.01).clipNorm(1.0).build());
    PrivacyOptions privacy = new PrivacyOptions();
    privacy.targetEpsilon = 2.0;
    privacy.delta = 1e-4;
    privacy.accountant = "PLD";
    privacy.check();
    assertThat(privacy.settings(8)).isEqualTo(PrivacySettings.builder().targetEpsilon(2).delta(1e-4)
        .expectedBatchSize(8).accountant(PrivacySettings.Accountant.PLD).build());
    privacy.expectedBatchSize = 5.0;
    assertThat(privacy.settings(8).expectedBatchSize()).hasValue(5.0);
    assertThat(new PrivacyOptions().settings(8)).as("without --dp-* options").isEqualTo(PrivacySettings.none());
  }

  @Test
  void refusedSettingsAreNamedByTheirOptions() {
    refused(p -> p.targetEpsilon = -1.0, "--dp-target-epsilon must be > 0, got -1.0");
    refused(p -> p.noiseMultiplier = 0.0, "--dp-noise-multiplier must be > 0, got 0.0");
    refused(p -> {
      p.noiseMultiplier = 1.0;
      p.expectedBatchSize = -2.0;
    }, "--dp-expected-batch-size must be > 0, got -2.0");
    refused(p -> {
      p.noiseMultiplier = 1.0;
      p.clipNorm = Double.POSITIVE_INFINITY;
    }, "--dp-clip-norm must be finite, got Infinity");
  }

  private static void refused(Consumer<PrivacyOptions> set, String message) {
    PrivacyOptions p = new PrivacyOptions();
    set.accept(p);
    assertThatThrownBy(p::check).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
