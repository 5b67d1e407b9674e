package org.align4j.core.hf;

import java.util.Locale;

/** The tensor element types this library reads from safetensors files; all are read into float32. */
public enum DType {
  /** IEEE 754 single precision. */
  F32(4),
  /** IEEE 754 half precision. */
  F16(2),
  /** bfloat16: the upper half of a float32. */
  BF16(2);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /**
   * The type called {@code name} in a safetensors header.
   *
   * @throws IllegalArgumentException for a type this library does not read, naming the supported ones
   */
  public static DType parse(String name) {
    for (DType t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unsupported dtype " + name + " (supported: F32, F16, BF16)");
  }

  /** The float32 value of the element at byte {@code offset} of little-endian data {@code raw}. */
  float read(java.nio.ByteBuffer raw, int offset) {
    return switch (this) {
      case F32 -> raw.getFloat(offset);
      case F16 -> halfToFloat(raw.getShort(offset));
      case BF16 -> Float.intBitsToFloat((raw.getShort(offset) & 0xffff) << 16);
    };
  }

  /** IEEE half precision to float32, exactly (subnormals, infinities and NaN included). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float value = mantissa * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  @Override
  public String toString() {
    return name().toUpperCase(Locale.ROOT);
  }
}
