package org.align4j.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalDouble;
import java.util.function.UnaryOperator;
import org.align4j.core.dp.ClippingMode;
import org.align4j.core.dp.GradientPath;
import org.junit.jupiter.api.Test;

/** Defaults, validation, data-dependent settings and round trips of {@link PrivacySettings}. */
class PrivacySettingsTest {

  @Test
  void theDefaultIsNoPrivacyWithRdpAndClipNormOne() {
    PrivacySettings none = PrivacySettings.builder().build();
    assertThat(none).isEqualTo(PrivacySettings.none());
    assertThat(none.enabled()).isFalse();
    assertThat(none.targetEpsilon()).isEmpty();
    assertThat(none.noiseMultiplier()).isEmpty();
    assertThat(none.delta()).isEmpty();
    assertThat(none.expectedBatchSize()).isEmpty();
    assertThat(none.sampleRate()).isEmpty();
    assertThat(none.clipNorm()).isEqualTo(1.0);
    assertThat(none.accountant()).isEqualTo(PrivacySettings.Accountant.RDP);
    assertThat(none.newAccountant()).isInstanceOf(RdpAccountant.class);
    assertThat(PrivacySettings.builder().accountant(PrivacySettings.Accountant.PLD).build().newAccountant())
        .isInstanceOf(PldAccountant.class);
  }

  @Test
  void aTargetEpsilonOrANoiseMultiplierAsksForDpSgd() {
    PrivacySettings target = PrivacySettings.builder().targetEpsilon(3).expectedBatchSize(8).build();
    assertThat(target.enabled()).isTrue();
    assertThat(target.targetEpsilon()).isEqualTo(OptionalDouble.of(3));
    assertThat(target.noiseMultiplier()).isEmpty();
    PrivacySettings sigma = PrivacySettings.builder().noiseMultiplier(1.1).sampleRate(0.25).delta(1e-5).build();
    assertThat(sigma.enabled()).isTrue();
    assertThat(sigma.noiseMultiplier()).isEqualTo(OptionalDouble.of(1.1));
    assertThat(PrivacySettings.builder().noiseMultiplier(1).noNoise().build()).isEqualTo(PrivacySettings.none());
    // without noise, the settings only DP-SGD reads would be ignored: refused
    assertThatThrownBy(() -> sigma.toBuilder().noNoise().build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delta 1.0E-5");
  }

  @Test
  void contradictoryOrOutOfRangeSettingsNameTheSettingAndValue() {
    expectBad(b -> b.targetEpsilon(3).noiseMultiplier(1),
        "targetEpsilon 3.0 and noiseMultiplier 1.0 exclude each other; give one of them");
    expectBad(b -> b.targetEpsilon(0), "targetEpsilon must be > 0, got 0.0");
    expectBad(b -> b.targetEpsilon(Double.POSITIVE_INFINITY), "targetEpsilon must be finite, got Infinity");
    expectBad(b -> b.noiseMultiplier(-1), "noiseMultiplier must be >= 0, got -1.0");
    expectBad(b -> b.noiseMultiplier(Double.NaN), "noiseMultiplier", "NaN");
    expectBad(b -> b.noiseMultiplier(1).delta(0), "delta must be in (0.0, 1.0), got 0.0");
    expectBad(b -> b.noiseMultiplier(1).delta(1), "delta must be in (0.0, 1.0), got 1.0");
    expectBad(b -> b.noiseMultiplier(1).delta(-0.5), "delta must be in (0.0, 1.0), got -0.5");
    expectBad(b -> b.noiseMultiplier(1).clipNorm(0), "clipNorm must be > 0, got 0.0");
    expectBad(b -> b.noiseMultiplier(1).clipNorm(-2), "clipNorm must be > 0, got -2.0");
    expectBad(b -> b.noiseMultiplier(1).clipNorm(Double.POSITIVE_INFINITY), "clipNorm must be finite");
    expectBad(b -> b.noiseMultiplier(1).expectedBatchSize(0), "expectedBatchSize must be > 0, got 0.0");
    expectBad(b -> b.noiseMultiplier(1).sampleRate(1.5), "sampleRate must be in (0.0, 1.0], got 1.5");
    expectBad(b -> b.noiseMultiplier(1).sampleRate(0.5).expectedBatchSize(4),
        "expectedBatchSize 4.0 and sampleRate 0.5 exclude each other; give one of them");
    expectBad(b -> b.delta(1e-5), "delta 1.0E-5 needs a targetEpsilon or a noiseMultiplier");
    expectBad(b -> b.expectedBatchSize(8), "expectedBatchSize 8.0 needs a targetEpsilon or a noiseMultiplier");
    expectBad(b -> b.sampleRate(0.1), "sampleRate 0.1 needs a targetEpsilon or a noiseMultiplier");
  }

  @Test
  void dataDependentSettingsResolveForTheDataSize() {
    PrivacySettings expected = PrivacySettings.builder().noiseMultiplier(1).expectedBatchSize(8).build();
    assertThat(expected.sampleRateFor(32)).isEqualTo(0.25);
    assertThat(expected.sampleRateFor(8)).isEqualTo(1.0);
    assertThat(expected.deltaFor(32)).isEqualTo(1.0 / 32);
    assertThatThrownBy(() -> expected.sampleRateFor(6)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expectedBatchSize must be <= the number of examples 6, got 8.0");
    assertThatThrownBy(() -> expected.deltaFor(1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delta").hasMessageContaining("1");
    PrivacySettings rate = PrivacySettings.builder().targetEpsilon(2).sampleRate(0.1).delta(1e-4).build();
    assertThat(rate.sampleRateFor(5)).isEqualTo(0.1);
    assertThat(rate.deltaFor(1)).isEqualTo(1e-4);
    assertThatThrownBy(() -> PrivacySettings.builder().noiseMultiplier(1).build().sampleRateFor(10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleRate")
        .hasMessageContaining("expectedBatchSize");
  }

  @Test
  void toBuilderRoundTripsEverySetting() {
    PrivacySettings s = PrivacySettings.builder().targetEpsilon(4).delta(1e-6).clipNorm(0.5).sampleRate(0.02)
        .accountant(PrivacySettings.Accountant.PLD).build();
    assertThat(s.toBuilder().build()).isEqualTo(s);
    PrivacySettings t = PrivacySettings.builder().noiseMultiplier(0.7).expectedBatchSize(16).build();
    assertThat(t.toBuilder().build()).isEqualTo(t);
    assertThat(t.toBuilder().clipNorm(2).build()).isEqualTo(new PrivacySettings(OptionalDouble.empty(),
        OptionalDouble.of(0.7), OptionalDouble.empty(), 2, OptionalDouble.of(16), OptionalDouble.empty(),
        PrivacySettings.Accountant.RDP, ClippingMode.FLAT, GradientPath.AUTO, 16, 0, false));
    PrivacySettings u = t.toBuilder().clippingMode(ClippingMode.PER_LAYER).gradientPath(GradientPath.LOOP)
        .physicalBatchSize(3).epsilonEvery(7).fixedSizeBatches(true).build();
    assertThat(u.toBuilder().build()).isEqualTo(u);
  }

  private static void expectBad(UnaryOperator<PrivacySettings.Builder> settings, String... fragments) {
    var thrown = assertThatThrownBy(() -> settings.apply(PrivacySettings.builder()).build())
        .isInstanceOf(IllegalArgumentException.class);
    for (String f : fragments) {
      thrown.hasMessageContaining(f);
    }
  }
}
