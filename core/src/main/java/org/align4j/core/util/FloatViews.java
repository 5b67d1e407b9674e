package org.align4j.core.util;

import java.nio.FloatBuffer;
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
}
