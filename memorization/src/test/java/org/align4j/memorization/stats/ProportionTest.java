package org.align4j.memorization.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProportionTest {

  @Test
  void wilsonIntervalMatchesKnownValues() {
    // R: prop.test(8, 20, correct = FALSE)$conf.int -> 0.2188...0.6134 (Wilson score interval).
    Proportion p = Proportion.wilson(8, 20);
    assertThat(p.rate()).isEqualTo(0.4);
    assertThat(p.lower()).isCloseTo(0.2188, within(1e-4));
    assertThat(p.upper()).isCloseTo(0.6134, within(1e-4));
    Proportion zero = Proportion.wilson(0, 10);
    assertThat(zero.lower()).isZero();
    assertThat(zero.upper()).isCloseTo(0.2775, within(1e-4));
    Proportion all = Proportion.wilson(10, 10);
    assertThat(all.upper()).isEqualTo(1.0);
    assertThat(all.lower()).isCloseTo(0.7225, within(1e-4));
    assertThat(Proportion.wilson(0, 0)).isEqualTo(new Proportion(0, 0, 0, 0, 1));
    assertThatThrownBy(() -> Proportion.wilson(3, 2)).hasMessageContaining("successes");
  }

  @Test
  void histogramBins() {
    assertThat(Histogram.bin(-1, 0, 1, 20)).isZero();
    assertThat(Histogram.bin(0.0, 0, 1, 20)).isZero();
    assertThat(Histogram.bin(0.1, 0, 1, 20)).isEqualTo(2);
    assertThat(Histogram.bin(1.0, 0, 1, 20)).isEqualTo(19);
    assertThat(Histogram.bin(7, 0, 1, 20)).isEqualTo(19);
    assertThat(Histogram.of(0, 1, new long[] {1, 2}).total()).isEqualTo(3);
  }
}
