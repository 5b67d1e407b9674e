package org.align4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class NdSmokeTest {
  @Test
  void backendLoads() {
    assertThat(Nd4j.createFromArray(1.0f, 2.0f).sumNumber().doubleValue()).isEqualTo(3.0);
  }
}
