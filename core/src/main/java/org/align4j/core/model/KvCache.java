package org.align4j.core.model;

import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The keys and values of every layer for a batch of generated rows, filled position by position, held in Java
 * arrays, and attention of one new position over them. A new position's attention is a few small dot products
 * per row and head; as ND4J operations (two batched matrix products of B*H tiny matrices, scaling, masking,
 * softmax, a transpose) it cost several times more than the arithmetic, so it runs here, rows in parallel.
 *
 * <p>Layout of each layer's keys and values: [B, H, capacity, hd], row-major. Row b's first {@code pad[b]}
 * positions are left padding and are never attended to.
 */
final class KvCache {

  private final int batch;
  private final int heads;
  private final int headDim;
  private final int capacity;
  private final float[][] keys;
  private final float[][] values;
  private final int[] pad;
  /** Each layer's fused query/key/value projection, fixed for the cache's lifetime (one generation call). */
  final INDArray[] qkvWeight;
  final INDArray[] qkvBias;
  private int length;

  KvCache(TransformerWeights w, int batch, int capacity, int[] pad) {
    TransformerConfig c = w.config();
    this.batch = batch;
    this.heads = c.heads();
    this.headDim = c.headDim();
    this.capacity = capacity;
    this.pad = pad.clone();
    int layers = c.layers();
    keys = new float[layers][batch * heads * capacity * headDim];
    values = new float[layers][batch * heads * capacity * headDim];
    qkvWeight = new org.nd4j.linalg.api.ndarray.INDArray[layers];
    qkvBias = new org.nd4j.linalg.api.ndarray.INDArray[layers];
    for (int l = 0; l < layers; l++) {
      qkvWeight[l] = w.qkvWeight(l);
      qkvBias[l] = w.qkvBias(l);
    }
  }

  /** The number of positions stored. */
  int length() {
    return length;
  }

  /** Left padding of each row. */
  int pad(int row) {
    return pad[row];
  }

  /**
   * Stores the first {@code t} positions of layer {@code layer}: {@code k} and {@code v} are [B, H, t, hd]
   * row-major.
   */
  void fill(int layer, float[] k, float[] v, int t) {
    int block = t * headDim;
    for (int bh = 0; bh < batch * heads; bh++) {
      System.arraycopy(k, bh * block, keys[layer], bh * capacity * headDim, block);
      System.arraycopy(v, bh * block, values[layer], bh * capacity * headDim, block);
    }
  }

  /** Marks {@code t} positions as stored (after every layer was filled or appended to). */
  void setLength(int t) {
    length = t;
  }

  /**
   * Appends position {@link #length()} of layer {@code layer} from the fused projections {@code qkv} ([B, 3d]
   * row-major: each row's queries, keys and values, heads side by side) and returns that position's attention
   * output, [B, d] row-major (heads side by side), over every stored position and itself.
   */
  float[] appendAndAttend(int layer, float[] qkv) {
    int d = heads * headDim;
    int t = length;
    if (t >= capacity) {
      throw new IllegalStateException("the cache holds " + capacity + " positions; no room for another");
    }
    float[] kc = keys[layer];
    float[] vc = values[layer];
    float[] out = new float[batch * d];
    float scale = (float) (1.0 / Math.sqrt(headDim));
    IntStream.range(0, batch).parallel().forEach(b -> {
      float[] scores = new float[t + 1];
      for (int h = 0; h < heads; h++) {
        int base = ((b * heads + h) * capacity) * headDim;
        int row = b * 3 * d + h * headDim;
        System.arraycopy(qkv, row + d, kc, base + t * headDim, headDim);
        System.arraycopy(qkv, row + 2 * d, vc, base + t * headDim, headDim);
        float max = Float.NEGATIVE_INFINITY;
        for (int j = pad[b]; j <= t; j++) {
          float s = dot(qkv, row, kc, base + j * headDim, headDim) * scale;
          scores[j] = s;
          max = Math.max(max, s);
        }
        double sum = 0;
        for (int j = pad[b]; j <= t; j++) {
          float e = (float) Math.exp(scores[j] - max);
          scores[j] = e;
          sum += e;
        }
        float inv = (float) (1.0 / sum);
        int o = b * d + h * headDim;
        for (int j = pad[b]; j <= t; j++) {
          float p = scores[j] * inv;
          int at = base + j * headDim;
          for (int i = 0; i < headDim; i++) {
            out[o + i] += p * vc[at + i];
          }
        }
      }
    });
    return out;
  }

  private static float dot(float[] a, int offA, float[] b, int offB, int n) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += a[offA + i] * b[offB + i];
      s1 += a[offA + i + 1] * b[offB + i + 1];
      s2 += a[offA + i + 2] * b[offB + i + 2];
      s3 += a[offA + i + 3] * b[offB + i + 3];
    }
    for (; i < n; i++) {
      s0 += a[offA + i] * b[offB + i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
