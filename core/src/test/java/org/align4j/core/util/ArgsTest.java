package org.align4j.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArgsTest {

  @Test
  void messagesNameParameterAndValue() {
    assertThatThrownBy(() -> Args.positive("beta", -0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("beta must be > 0, got -0.5");
    assertThatThrownBy(() -> Args.positive("beta", Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> Args.inOpen("delta", 1.0, 0, 1)).hasMessage("delta must be in (0.0, 1.0), got 1.0");
    assertThatThrownBy(() -> Args.inOpenClosed("sampleRate", 0.0, 0, 1)).hasMessageContaining("sampleRate");
    assertThatThrownBy(() -> Args.inClosedOpen("labelSmoothing", 0.5, 0, 0.5)).hasMessageContaining("0.5");
    assertThatThrownBy(() -> Args.finite("reward", Double.POSITIVE_INFINITY)).hasMessageContaining("Infinity");
    assertThatThrownBy(() -> Args.nonNegative("steps", -1L)).hasMessage("steps must be >= 0, got -1");
  }

  @Test
  void acceptsValidValues() {
    assertThat(Args.positive("beta", 0.1)).isEqualTo(0.1);
    assertThat(Args.inClosed("threshold", 1.0, 0, 1)).isEqualTo(1.0);
    assertThat(Args.nonNegative("n", 0)).isZero();
  }
}
