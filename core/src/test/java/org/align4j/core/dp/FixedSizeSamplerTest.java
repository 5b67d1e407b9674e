package org.align4j.core.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FixedSizeSamplerTest {

  @Test
  void fixedSizeBatchesCoverEachEpoch() {
    FixedSizeSampler sampler = new FixedSizeSampler(12, 4, 5);
    assertThat(sampler.sampleRate()).isEqualTo(4.0 / 12);
    int[] seen = new int[12];
    for (int step = 0; step < 3; step++) {
      int[] batch = sampler.next();
      assertThat(batch).hasSize(4);
      for (int i : batch) {
        seen[i]++;
      }
    }
    assertThat(seen).containsOnly(1);
  }

  @Test
  void badInputNamesTheParameter() {
    assertThatThrownBy(() -> new FixedSizeSampler(3, 4, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSize").hasMessageContaining("4");
  }
}
