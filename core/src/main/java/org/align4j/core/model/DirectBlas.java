package org.align4j.core.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.align4j.core.model.internal.BlasThreads;
import org.align4j.core.model.internal.CpuBlas;
import org.align4j.core.util.FloatViews;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Dense products of a few rows against a weight matrix, as one call of the OpenBLAS that ND4J's CPU backend already
 * loaded ({@code cblas_sgemv} for one row, {@code cblas_sgemm} for more), reading the weights where ND4J keeps them.
 * A decoding step multiplies one row per sequence by every weight matrix; through ND4J each such product costs about
 * 100 microseconds of dispatch, several times the product itself (measured with the d_model 256 model: the 16
 * matrix-vector products of its 4 layers take 2.1 ms as ND4J operations and 0.15 ms as direct calls).
 *
 * <p>Available only with ND4J's CPU backend and the {@code org.bytedeco:openblas} classes it depends on; callers
 * take ND4J's path otherwise (a CUDA backend). The calls go to the same library instance as ND4J's, so the
 * thread count set by {@link BlasThreads} applies to them too. The direct input and output buffers are per thread
 * and kept for its next products (as large as its largest product so far: tens of MB for a GPT-2 prompt batch).
 */
final class DirectBlas {

  private static final int ROW_MAJOR = 101;
  private static final int NO_TRANS = 111;
  private static final int TRANS = 112;
  private static final ThreadLocal<FloatBuffer[]> SCRATCH =
      ThreadLocal.withInitial(() -> new FloatBuffer[] {direct(0), direct(0)});

  private DirectBlas() {}

  /** Whether direct products can be used in this process. */
  static boolean available() {
    return CpuBlas.available();
  }

  /**
   * The elements of float array {@code a} in c order, as a buffer over ND4J's own memory when {@code a} is a
   * contiguous c-ordered array (the weights), else over a copy. Writes to {@code a} show through.
   */
  static FloatBuffer view(INDArray a) {
    FloatBuffer own = FloatViews.of(a);
    return own != null ? own : FloatViews.of(a.castTo(DataType.FLOAT).dup('c'));
  }

  /**
   * {@code y = x W}, or {@code x W^T} when {@code transposed}: x is {@code rows} rows of {@code in} values
   * (row-major), W is [in, out] (or [out, in] when transposed) in c order, and y receives {@code rows} rows of
   * {@code out} values.
   */
  static void product(float[] x, int rows, int in, FloatBuffer w, boolean transposed, int out, float[] y) {
    FloatBuffer[] scratch = SCRATCH.get();
    FloatBuffer xs = ensure(scratch, 0, rows * in);
    FloatBuffer ys = ensure(scratch, 1, rows * out);
    xs.put(0, x, 0, rows * in);
    if (rows == 1) {
      // y = W^T x for W [in, out]; y = W x for W [out, in].
      openblas.cblas_sgemv(ROW_MAJOR, transposed ? NO_TRANS : TRANS, transposed ? out : in, transposed ? in : out,
          1f, w, transposed ? in : out, xs, 1, 0f, ys, 1);
    } else {
      openblas.cblas_sgemm(ROW_MAJOR, NO_TRANS, transposed ? TRANS : NO_TRANS, rows, out, in, 1f, xs, in, w,
          transposed ? in : out, 0f, ys, out);
    }
    ys.get(0, y, 0, rows * out);
  }

  private static FloatBuffer ensure(FloatBuffer[] scratch, int i, int size) {
    if (scratch[i].capacity() < size) {
      scratch[i] = direct(Math.max(size, 2 * scratch[i].capacity()));
    }
    return scratch[i];
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }
}
