package org.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShuffledBatchesTest {

  @Test
  void eachEpochCoversEveryIndexOnceInBatches() {
    ShuffledBatches batches = new ShuffledBatches(10, 4, new SplittableRandom(1));
    for (int epoch = 0; epoch < 3; epoch++) {
      List<Integer> seen = new ArrayList<>();
      int[] sizes = new int[3];
      for (int b = 0; b < 3; b++) {
        int[] batch = batches.next();
        sizes[b] = batch.length;
        IntStream.of(batch).forEach(seen::add);
      }
      assertThat(sizes).containsExactly(4, 4, 2);
      assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
  }

  @Test
  void sameSeedSameOrderAndEpochsDiffer() {
    ShuffledBatches a = new ShuffledBatches(50, 50, new SplittableRandom(7));
    ShuffledBatches b = new ShuffledBatches(50, 50, new SplittableRandom(7));
    int[] first = a.next();
    assertThat(first).containsExactly(b.next());
    assertThat(a.next()).isNotEqualTo(first);
    assertThat(first).isNotEqualTo(IntStream.range(0, 50).toArray());
    assertThatThrownBy(() -> new ShuffledBatches(0, 4, new SplittableRandom(1))).hasMessageContaining("n must be");
  }
}
