package org.align4j.core.util;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Java views of ND4J float memory: loops over a view read and write the array itself, with no ND4J operation (and
 * none of its per-operation dispatch) in between.
 */
public final class FloatViews {

  private FloatViews() {}

  /**
   * The elements of {@code a} in c order as a buffer over ND4J's own memory, or null unless {@code a} is a float
   * array whose elements lie contiguously in c order from the start of its buffer (an array that owns its memory,
   * or a reshaped view of one; not a slice at an offset, a transposed or strided view, or another data type).
   * Writes through the buffer change {@code a}.
   */
  public static FloatBuffer of(INDArray a) {
    if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || a.elementWiseStride() != 1 || a.offset() != 0) {
      return null;
    }
    return a.data().asNioFloat().slice(0, (int) a.length());
  }

  /**
   * Adds {@code values} to {@code target} element by element, in place: by a Java loop over both arrays' memory
   * when both are float arrays {@link #of} can view (one ND4J operation per call costs more than the arithmetic at
   * the sizes of a small model's gradients), else by ND4J's {@code addi}. Same results either way.
   *
   * @throws IllegalArgumentException when the shapes differ
   */
  public static void addInPlace(INDArray target, INDArray values) {
    if (!Arrays.equals(target.shape(), values.shape())) {
      throw new IllegalArgumentException("shapes differ: " + Arrays.toString(target.shape()) + " and "
          + Arrays.toString(values.shape()));
    }
    FloatBuffer t = of(target);
    FloatBuffer v = of(values);
    if (t == null || v == null) {
      target.addi(values);
      return;
    }
    for (int i = 0, n = t.limit(); i < n; i++) {
      t.put(i, t.get(i) + v.get(i));
    }
  }
}
