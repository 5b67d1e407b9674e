package org.align4j.core.model;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.align4j.core.model.internal.Affine;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The keys and values of every layer for a batch of generated rows, filled position by position, held in Java
 * arrays, and attention of one new position over them. A new position's attention is a few small dot products
 * per row and head; as ND4J operations (two batched matrix products of B*H tiny matrices, scaling, masking,
 * softmax, a transpose) it cost several times more than the arithmetic, so it runs here, on a range of rows,
 * optionally in parallel.
 *
 * <p>Layout of each layer's keys: [B, KV, hd, capacity] (transposed, so that a query's scores against every
 * position accumulate along contiguous memory, which the JIT vectorises); of its values: [B, KV, capacity, hd],
 * KV being the key/value heads (query head h reads key/value head {@code h / (H / KV)}). Keys are stored after
 * their rotary position embedding, if any. Row b's first {@code pad[b]} positions are left padding and are never
 * attended to.
 */
final class KvCache {

  private final int batch;
  private final int heads;
  private final int kvHeads;
  private final Rotary rotary;
  private final int headDim;
  private final int capacity;
  private final float[][] keys;
  private final float[][] values;
  private final int[] pad;
  /**
   * Each layer's fused query/key/value projection for ND4J's steps, fixed for the cache's lifetime (one generation
   * call); null with {@link #fused} steps, which read the three matrices where they are.
   */
  final INDArray[] qkvWeight;
  final INDArray[] qkvBias;
  /** The step without ND4J operations over these weights, or null where {@link DirectBlas} is unavailable. */
  final FusedStep fused;
  private int length;

  KvCache(TransformerWeights w, int batch, int capacity, int[] pad, Rotary rotary, boolean fused) {
    TransformerConfig c = w.config();
    this.batch = batch;
    this.heads = c.heads();
    this.kvHeads = c.kvHeads();
    this.rotary = rotary;
    this.headDim = c.headDim();
    this.capacity = capacity;
    this.pad = pad.clone();
    int layers = c.layers();
    keys = new float[layers][batch * kvHeads * capacity * headDim];
    values = new float[layers][batch * kvHeads * capacity * headDim];
    this.fused = fused ? new FusedStep(w) : null;
    qkvWeight = fused ? null : new INDArray[layers];
    qkvBias = fused ? null : new INDArray[layers];
    for (int l = 0; !fused && l < layers; l++) {
      qkvWeight[l] = Affine.qkvWeight(w, l);
      qkvBias[l] = Affine.qkvBias(w, l);
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
   * Stores the first {@code t} positions of layer {@code layer}: {@code k} (rotated) and {@code v} are
   * [B, KV, t, hd] row-major.
   */
  void fill(int layer, float[] k, float[] v, int t) {
    int block = t * headDim;
    float[] kc = keys[layer];
    for (int bh = 0; bh < batch * kvHeads; bh++) {
      int base = bh * capacity * headDim;
      for (int j = 0; j < t; j++) {
        for (int i = 0; i < headDim; i++) {
          kc[base + i * capacity + j] = k[bh * block + j * headDim + i];
        }
      }
      System.arraycopy(v, bh * block, values[layer], base, block);
    }
  }

  /** Marks {@code t} positions as stored (after every layer was filled or appended to). */
  void setLength(int t) {
    length = t;
  }

  /**
   * Appends position {@link #length()} of layer {@code layer} for rows {@code [from, to)} from their fused
   * projections {@code qkv} ([to - from, (H + 2 KV) hd] row-major: each row's queries, keys and values, heads side
   * by side; rotated here in place when positions are rotary) and
   * returns that position's attention output for those rows, [to - from, d] row-major (heads side by side), over
   * every stored position and itself. Calls for disjoint row ranges may run concurrently.
   *
   * @param parallel whether the rows run in parallel
   * @throws IllegalStateException when the cache is full
   */
  float[] appendAndAttend(int layer, float[] qkv, int from, int to, boolean parallel) {
    int t = length;
    if (t >= capacity) {
      throw new IllegalStateException("the cache holds " + capacity + " positions; no room for another");
    }
    int d = heads * headDim;
    float[] out = new float[(to - from) * d];
    IntStream rows = IntStream.range(from, to);
    (parallel ? rows.parallel() : rows).forEach(b -> {
      int row = b - from;
      store(layer, qkv, row, b, t);
      attend(layer, qkv, row, b, t, out, row * d, new float[t + 1]);
    });
    return out;
  }

  /**
   * Stores positions {@code [0, t)} of layer {@code layer} for rows {@code [from, to)} from their fused projections
   * {@code qkv} ([(to - from) t, (H + 2 KV) hd] row-major, row r's position j at row {@code (r - from) t + j};
   * rotated here in place when positions are rotary) and returns every position's attention output over the
   * positions up to it, [(to - from) t, d] (zero at left padding). Calls for disjoint row ranges may run
   * concurrently; the length is set by the caller ({@link #setLength}) once every layer is filled.
   */
  float[] fillAndAttend(int layer, float[] qkv, int from, int to, int t) {
    if (t > capacity) {
      throw new IllegalArgumentException(t + " positions do not fit a cache of " + capacity);
    }
    int d = heads * headDim;
    float[] out = new float[(to - from) * t * d];
    float[] scores = new float[t];
    for (int b = from; b < to; b++) {
      for (int j = 0; j < t; j++) {
        store(layer, qkv, (b - from) * t + j, b, j);
      }
      for (int j = pad[b]; j < t; j++) {
        int row = (b - from) * t + j;
        attend(layer, qkv, row, b, j, out, row * d, scores);
      }
    }
    return out;
  }

  /**
   * Rotates row {@code row} of {@code qkv} (row {@code b}'s projections at position {@code at} of the cache) and
   * stores its keys and values at that position.
   */
  private void store(int layer, float[] qkv, int row, int b, int at) {
    int d = heads * headDim;
    int kvd = kvHeads * headDim;
    int rowStart = row * (d + 2 * kvd);
    if (rotary != null) {
      for (int h = 0; h < heads + kvHeads; h++) {
        rotary.rotate(qkv, rowStart + h * headDim, Math.max(0, at - pad[b]));
      }
    }
    float[] kc = keys[layer];
    for (int g = 0; g < kvHeads; g++) {
      int base = ((b * kvHeads + g) * capacity) * headDim;
      int key = rowStart + d + g * headDim;
      for (int i = 0; i < headDim; i++) {
        kc[base + i * capacity + at] = qkv[key + i];
      }
      System.arraycopy(qkv, key + kvd, values[layer], base + at * headDim, headDim);
    }
  }

  /**
   * Attention of the queries in row {@code row} of {@code qkv} (row {@code b}'s, at cache position {@code at}) over
   * row b's stored positions {@code [pad[b], at]}, added to {@code out} from {@code o} (heads side by side).
   * {@code scores} holds at least {@code at + 1} values.
   */
  private void attend(int layer, float[] qkv, int row, int b, int at, float[] out, int o, float[] scores) {
    int d = heads * headDim;
    int rowStart = row * (d + 2 * kvHeads * headDim);
    int group = heads / kvHeads;
    int first = pad[b];
    float scale = (float) (1.0 / Math.sqrt(headDim));
    float[] kc = keys[layer];
    float[] vc = values[layer];
    for (int h = 0; h < heads; h++) {
      int base = ((b * kvHeads + h / group) * capacity) * headDim;
      int query = rowStart + h * headDim;
      Arrays.fill(scores, first, at + 1, 0f);
      for (int i = 0; i < headDim; i++) {
        float qi = qkv[query + i] * scale;
        int keyRow = base + i * capacity;
        for (int j = first; j <= at; j++) {
          scores[j] += qi * kc[keyRow + j];
        }
      }
      float max = Float.NEGATIVE_INFINITY;
      for (int j = first; j <= at; j++) {
        max = Math.max(max, scores[j]);
      }
      double sum = 0;
      for (int j = first; j <= at; j++) {
        float e = (float) Math.exp(scores[j] - max);
        scores[j] = e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      int oh = o + h * headDim;
      for (int j = first; j <= at; j++) {
        float p = scores[j] * inv;
        int v = base + j * headDim;
        for (int i = 0; i < headDim; i++) {
          out[oh + i] += p * vc[v + i];
        }
      }
    }
  }
}
