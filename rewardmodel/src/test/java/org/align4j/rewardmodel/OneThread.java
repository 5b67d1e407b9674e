package org.align4j.rewardmodel;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Runs ND4J on one thread in this test JVM (OpenMP, OpenBLAS and ND4J's own pool). On a loaded 2-core machine the
 * threads of a 2-thread pool spin waiting for each other, and the many small operations of a tiny SameDiff training
 * step become 4 to 5 times slower (measured: 1.3 s per step with 2 threads, 0.3 s with 1, under a load of 12).
 * Results stay deterministic either way.
 */
public final class OneThread {

  private OneThread() {}

  /** Switches ND4J to one thread for the rest of this JVM. */
  public static void use() {
    Nd4j.factory().blas().setMaxThreads(1);
    Nd4j.getEnvironment().setMaxThreads(1);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
  }
}
