package org.align4j.core.model.internal;

import org.align4j.core.util.FloatViews;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The OpenBLAS that ND4J's CPU backend loads, for callers that multiply ND4J's float memory with direct
 * {@code cblas} calls: whether it is there, and native pointers to arrays' elements.
 */
public final class CpuBlas {

  private static final boolean AVAILABLE = probe();

  private CpuBlas() {}

  /**
   * Whether direct calls can be used in this process: ND4J runs its CPU backend and the {@code org.bytedeco:openblas}
   * classes it depends on answer (not with a CUDA backend).
   */
  public static boolean available() {
    return AVAILABLE;
  }

  /**
   * A pointer to the first element of {@code a}, a float array whose elements lie contiguously in c order from the
   * start of its buffer (see {@link FloatViews#of}).
   *
   * @throws IllegalArgumentException for any other array
   */
  static FloatPointer pointer(INDArray a) {
    if (FloatViews.of(a) == null) {
      throw new IllegalArgumentException("not a contiguous c-ordered float array from its buffer's start");
    }
    return new FloatPointer(a.data().pointer());
  }

  private static boolean probe() {
    try {
      if (!Nd4j.getBackend().getClass().getName().startsWith("org.nd4j.linalg.cpu.nativecpu.")) {
        return false;
      }
      float[] one = {1f};
      return openblas.cblas_sdot(1, one, 1, one, 1) == 1f;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }
}
