package org.align4j.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NoiseCalibrationTest {

  private static final double Q = 256.0 / 60000;

  @Test
  void recoversTheMnistNoiseFromItsEpsilon() {
    NoiseCalibration.Result result = NoiseCalibration.forSteps(2.596555869, Q, 14062, 1e-5, RdpAccountant::new);
    assertThat(result.noiseMultiplier()).isCloseTo(1.1, within(1e-5));
    assertThat(result.epsilon()).isLessThanOrEqualTo(2.596555869);
    assertThat(result.accountant()).isEqualTo("rdp");
  }

  @Test
  void returnsTheSmallestPrivateNoise() {
    for (double target : new double[] {0.5, 1, 8}) {
      NoiseCalibration.Result result = NoiseCalibration.forSteps(target, 0.01, 1000, 1e-5, RdpAccountant::new);
      double sigma = result.noiseMultiplier();
      assertThat(epsilon(sigma, 0.01, 1000)).isLessThanOrEqualTo(target);
      assertThat(epsilon(sigma * (1 - 2e-6), 0.01, 1000)).isGreaterThan(target);
    }
  }

  @Test
  void epochsBecomeStepsByCeiling() {
    assertThat(NoiseCalibration.stepsForEpochs(60, Q)).isEqualTo(14063);
    assertThat(NoiseCalibration.stepsForEpochs(1, 0.5)).isEqualTo(2);
    NoiseCalibration.Result result = NoiseCalibration.forEpochs(3, 0.01, 2, 1e-5, RdpAccountant::new);
    assertThat(result.steps()).isEqualTo(200);
  }

  @Test
  void worksWithTheTightAccountant() {
    NoiseCalibration.Result result =
        NoiseCalibration.forSteps(2.0, 0.01, 200, 1e-5, () -> new PldAccountant(1e-3, 1e-15));
    assertThat(result.epsilon()).isLessThanOrEqualTo(2.0).isGreaterThan(1.99);
    NoiseCalibration.Result rdp = NoiseCalibration.forSteps(2.0, 0.01, 200, 1e-5, RdpAccountant::new);
    assertThat(result.noiseMultiplier()).isLessThan(rdp.noiseMultiplier());
  }

  @Test
  void rejectsUnreachableTargetsAndBadInput() {
    // the default RDP orders cannot certify epsilon below about 0.1 at delta 1e-5, whatever the noise
    assertThatThrownBy(() -> NoiseCalibration.forSteps(0.01, 0.01, 100, 1e-5, RdpAccountant::new))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of reach");
    assertThatThrownBy(() -> NoiseCalibration.forSteps(0, 0.01, 100, 1e-5, RdpAccountant::new))
        .hasMessageContaining("targetEpsilon");
    assertThatThrownBy(() -> NoiseCalibration.forSteps(1, 0.01, 0, 1e-5, RdpAccountant::new))
        .hasMessageContaining("steps");
    assertThatThrownBy(() -> NoiseCalibration.forSteps(1, 2, 10, 1e-5, RdpAccountant::new))
        .hasMessageContaining("sampleRate");
    assertThatThrownBy(() -> NoiseCalibration.forSteps(1, 0.1, 10, 2, RdpAccountant::new))
        .hasMessageContaining("delta");
  }

  private static double epsilon(double sigma, double q, long steps) {
    return new RdpAccountant().add(sigma, q, steps).epsilon(1e-5);
  }
}
