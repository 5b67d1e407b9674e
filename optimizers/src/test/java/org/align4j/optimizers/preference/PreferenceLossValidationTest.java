package org.align4j.optimizers.preference;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Invalid hyperparameters and inputs fail with messages naming the parameter and value. */
class PreferenceLossValidationTest {

  @Test
  void rejectsBadBeta() {
    assertThatThrownBy(() -> PreferenceLoss.builder().beta(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("beta must be > 0, got 0.0");
    assertThatThrownBy(() -> PreferenceLoss.builder().beta(-0.1).build()).hasMessageContaining("beta");
    assertThatThrownBy(() -> PreferenceLoss.builder().beta(Double.NaN).build()).hasMessageContaining("NaN");
    assertThatThrownBy(() -> PreferenceLoss.builder().beta(Double.POSITIVE_INFINITY).build())
        .hasMessageContaining("beta");
  }

  @Test
  void rejectsBadLabelSmoothing() {
    PreferenceLoss.Builder cdpo = PreferenceLoss.builder().type(PreferenceLossType.CDPO);
    assertThatThrownBy(() -> cdpo.labelSmoothing(0.5).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("labelSmoothing must be in [0.0, 0.5), got 0.5");
    assertThatThrownBy(() -> cdpo.labelSmoothing(-0.01).build()).hasMessageContaining("labelSmoothing");
    assertThatThrownBy(() -> PreferenceLoss.builder().labelSmoothing(0.1).build())
        .hasMessageContaining("labelSmoothing must be 0 for SIGMOID");
    assertThatThrownBy(() -> PreferenceLoss.builder().type(PreferenceLossType.EXO_PAIR).build())
        .hasMessageContaining("labelSmoothing must be > 0 for EXO_PAIR");
    assertThatThrownBy(() -> PreferenceLoss.builder().nllWeight(-1).build()).hasMessageContaining("nllWeight");
    assertThatThrownBy(() -> PreferenceLoss.builder().discopopTau(0).build()).hasMessageContaining("discopopTau");
  }

  @Test
  void rejectsMismatchedOrInvalidArrays() {
    double[] two = {-1, -2};
    double[] three = {-1, -2, -3};
    int[] counts = {1, 1};
    assertThatThrownBy(() -> new PreferenceBatch(two, three, two, two, counts, counts))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policyRejected has length 3, expected 2 (the length of policyChosen)");
    assertThatThrownBy(() -> new PreferenceBatch(two, two, two, two, counts, new int[] {1}))
        .hasMessageContaining("rejectedTokens has length 1");
    assertThatThrownBy(() -> new PreferenceBatch(new double[0], new double[0], new double[0], new double[0],
        new int[0], new int[0])).hasMessageContaining("empty");
    assertThatThrownBy(() -> new PreferenceBatch(new double[] {-1, Double.NaN}, two, two, two, counts, counts))
        .hasMessage("policyChosen[1] must be finite, got NaN");
    assertThatThrownBy(() -> new PreferenceBatch(two, two, two, two, new int[] {1, -1}, counts))
        .hasMessage("chosenTokens[1] must be >= 0, got -1");
    PreferenceLoss dpo = PreferenceLoss.builder().build();
    assertThatThrownBy(() -> dpo.perExample(Nd4j.createFromArray(two), Nd4j.createFromArray(three),
        Nd4j.createFromArray(two), Nd4j.createFromArray(two), Nd4j.createFromArray(counts),
        Nd4j.createFromArray(counts)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("policyRejected has shape [3], expected a vector of length 2");
  }
}
