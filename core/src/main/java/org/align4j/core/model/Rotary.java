package org.align4j.core.model;

/**
 * Rotary position embedding ({@link Architecture.Rope}) as cosine and sine tables for every position of the
 * context, applied in place to one head's vector at a time: elements {@code i} and {@code i + headDim/2} are
 * rotated by angle {@code position * frequency[i]} (the Hugging Face "rotate half" layout).
 */
final class Rotary {

  private final int half;
  private final float[] cos;
  private final float[] sin;

  Rotary(Architecture.Rope rope, int headDim, int positions) {
    this.half = headDim / 2;
    double[] freq = rope.inverseFrequencies(headDim);
    cos = new float[positions * half];
    sin = new float[positions * half];
    for (int p = 0; p < positions; p++) {
      for (int i = 0; i < half; i++) {
        double angle = p * freq[i];
        cos[p * half + i] = (float) Math.cos(angle);
        sin[p * half + i] = (float) Math.sin(angle);
      }
    }
  }

  /** The rotary tables of {@code config}, or null when its positions are learned. */
  static Rotary of(TransformerConfig config) {
    Architecture.Rope rope = config.architecture().rope();
    return rope == null ? null : new Rotary(rope, config.headDim(), config.contextLength());
  }

  /** Rotates the head vector at {@code data[offset .. offset + headDim)} for position {@code position}. */
  void rotate(float[] data, int offset, int position) {
    int at = position * half;
    for (int i = 0; i < half; i++) {
      float a = data[offset + i];
      float b = data[offset + half + i];
      float c = cos[at + i];
      float s = sin[at + i];
      data[offset + i] = a * c - b * s;
      data[offset + half + i] = b * c + a * s;
    }
  }
}
