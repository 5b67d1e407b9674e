package org.align4j.core.hf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor as stored in a safetensors file: element type, shape and raw little-endian bytes (possibly a
 * memory-mapped region of the file, valid as long as the mapping is).
 *
 * @param name the tensor's name
 * @param dtype element type
 * @param shape dimensions, outermost first (a copy is kept)
 * @param data the raw bytes, exactly {@code elements() * dtype.bytes()} of them from position 0
 */
public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {

  /** Validates that the data's size agrees with the shape. */
  public Tensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    long n = 1;
    for (long s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("tensor " + name + " has a negative dimension " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, s);
    }
    data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    data.position(0);
    if (data.limit() != n * dtype.bytes()) {
      throw new IllegalArgumentException("tensor " + name + " of shape " + Arrays.toString(shape) + " and dtype "
          + dtype + " needs " + n * dtype.bytes() + " bytes, has " + data.limit());
    }
  }

  /** A float32 tensor holding {@code values} (row-major). */
  public static Tensor ofFloats(String name, long[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return new Tensor(name, DType.F32, shape, b);
  }

  /** The shape (a copy). */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of elements. */
  public long elements() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  /** The values as float32, row-major. */
  public float[] toFloats() {
    long n = elements();
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("tensor " + name + " has " + n + " elements, too many for one array");
    }
    float[] out = new float[(int) n];
    int size = dtype.bytes();
    for (int i = 0; i < out.length; i++) {
      out[i] = dtype.read(data, i * size);
    }
    return out;
  }

  /** The raw bytes (a copy). */
  public byte[] bytes() {
    byte[] out = new byte[data.limit()];
    data.duplicate().get(out);
    return out;
  }
}
