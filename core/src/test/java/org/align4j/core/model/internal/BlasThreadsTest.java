package org.align4j.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The BLAS thread policy of training passes, and scopes that restore the thread count. */
class BlasThreadsTest {

  @Test
  void trainingRunsOnOneThreadUnlessWaitingIsPassiveAndTheProductIsLarge() {
    assertThat(BlasThreads.singleForTraining(false, 1L << 40)).isTrue();
    assertThat(BlasThreads.singleForTraining(false, 1)).isTrue();
    assertThat(BlasThreads.singleForTraining(true, BlasThreads.PARALLEL_MACS - 1)).isTrue();
    assertThat(BlasThreads.singleForTraining(true, BlasThreads.PARALLEL_MACS)).isFalse();
  }

  @Test
  void scopesRunOnOneThreadAndRestoreTheCount() {
    int before = Nd4j.factory().blas().getMaxThreads();
    int inside = BlasThreads.single(() -> Nd4j.factory().blas().getMaxThreads());
    assertThat(inside).isEqualTo(1);
    int small = BlasThreads.forTraining(1, () -> Nd4j.factory().blas().getMaxThreads());
    assertThat(small).isEqualTo(1);
    assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(before);
  }
}
