package org.align4j.core.model.internal;

import java.nio.FloatBuffer;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.align4j.core.util.FloatViews;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Causal multi-head attention of a training pass, forward and backward, computed where the projections already lie:
 * each (row, head) pair's products are {@code cblas_sgemm} calls on the stacked query/key/value matrix [N, 3d]
 * (row {@code b*T + t}, columns query | key | value, head {@code h} at {@code h*hd} within each) with its row
 * stride, writing the merged heads [N, d] and the projections' gradient [N, 3d] in place; the masked softmax and its
 * backward are Java loops over the rows' unmasked positions. ND4J's batched {@code matmul} of the same products ran
 * at a fraction of the BLAS rate and needed copies into and out of the [B, H, T, hd] layout (18% of a d_model 256
 * training step, with another 6% in the softmax). The (row, head) pairs are split over the common fork-join pool on
 * one BLAS thread each; they write disjoint memory, so the result does not depend on the split.
 *
 * <p>Needs the OpenBLAS of ND4J's CPU backend ({@link CpuBlas#available}); {@link Attention#of} takes
 * {@link BatchedAttention} otherwise.
 */
final class DirectAttention implements Attention {

  private static final int ROW_MAJOR = 101;
  private static final int NO_TRANS = 111;
  private static final int TRANS = 112;
  private static final ThreadLocal<FloatPointer> SCRATCH = new ThreadLocal<>();

  private final int b;
  private final int t;
  private final int heads;
  private final int hd;
  private final float scale;

  /** Attention over {@code b} rows of {@code t} tokens, {@code heads} heads of width {@code hd}. */
  DirectAttention(int b, int t, int heads, int hd) {
    this.b = b;
    this.t = t;
    this.heads = heads;
    this.hd = hd;
    this.scale = (float) (1.0 / Math.sqrt(hd));
  }

  @Override
  public INDArray forward(INDArray qkv, INDArray merged) {
    INDArray probs = Nd4j.createUninitialized(DataType.FLOAT, (long) b * heads, t, t);
    FloatPointer q = CpuBlas.pointer(qkv);
    FloatPointer p = CpuBlas.pointer(probs);
    FloatPointer out = CpuBlas.pointer(merged);
    FloatBuffer pv = FloatViews.of(probs);
    int d = heads * hd;
    forEachPair(pair -> {
      int row = pair / heads;
      int h = pair % heads;
      long qOff = (long) row * t * 3 * d + (long) h * hd;
      long pOff = (long) pair * t * t;
      openblas.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, t, t, hd, scale, at(q, qOff), 3 * d, at(q, qOff + d), 3 * d,
          0f, at(p, pOff), t);
      softmax(pv, (int) pOff);
      openblas.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, t, hd, t, 1f, at(p, pOff), t, at(q, qOff + 2L * d), 3 * d,
          0f, at(out, (long) row * t * d + (long) h * hd), d);
    });
    return probs;
  }

  @Override
  public INDArray backward(INDArray qkv, INDArray probs, INDArray dMerged) {
    int d = heads * hd;
    INDArray dQkv = Nd4j.createUninitialized(DataType.FLOAT, (long) b * t, 3L * d);
    FloatPointer q = CpuBlas.pointer(qkv);
    FloatPointer p = CpuBlas.pointer(probs);
    FloatPointer dOut = CpuBlas.pointer(dMerged);
    FloatPointer dq = CpuBlas.pointer(dQkv);
    FloatBuffer pv = FloatViews.of(probs);
    forEachPair(pair -> {
      int row = pair / heads;
      int h = pair % heads;
      long qOff = (long) row * t * 3 * d + (long) h * hd;
      long pOff = (long) pair * t * t;
      FloatPointer dO = at(dOut, (long) row * t * d + (long) h * hd);
      FloatPointer ds = scratch(t * t);
      // dV = P^T dO; dP = dO V^T; dS = P * (dP - rowsum(dP * P)) * scale; dQ = dS K; dK = dS^T Q.
      openblas.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, t, hd, t, 1f, at(p, pOff), t, dO, d, 0f,
          at(dq, qOff + 2L * d), 3 * d);
      openblas.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, t, t, hd, 1f, dO, d, at(q, qOff + 2L * d), 3 * d, 0f, ds, t);
      softmaxBackward(pv, (int) pOff, ds.asBuffer());
      openblas.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, t, hd, t, 1f, ds, t, at(q, qOff + d), 3 * d, 0f,
          at(dq, qOff), 3 * d);
      openblas.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, t, hd, t, 1f, ds, t, at(q, qOff), 3 * d, 0f,
          at(dq, qOff + d), 3 * d);
    });
    return dQkv;
  }

  private void forEachPair(IntConsumer work) {
    BlasThreads.single(() -> {
      IntStream.range(0, b * heads).parallel().forEach(work);
      return null;
    });
  }

  /** Softmax in place over each row's unmasked scores (positions up to its own), zeros after them. */
  private void softmax(FloatBuffer s, int off) {
    for (int i = 0; i < t; i++) {
      int row = off + i * t;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j <= i; j++) {
        max = Math.max(max, s.get(row + j));
      }
      float sum = 0f;
      for (int j = 0; j <= i; j++) {
        float e = (float) Math.exp(s.get(row + j) - max);
        s.put(row + j, e);
        sum += e;
      }
      float inv = 1f / sum;
      for (int j = 0; j <= i; j++) {
        s.put(row + j, s.get(row + j) * inv);
      }
      for (int j = i + 1; j < t; j++) {
        s.put(row + j, 0f);
      }
    }
  }

  /** {@code dS = scale * P * (dP - sum_k dP * P)} per row, in place in {@code dp} (masked positions have P = 0). */
  private void softmaxBackward(FloatBuffer p, int off, FloatBuffer dp) {
    for (int i = 0; i < t; i++) {
      int row = off + i * t;
      int drow = i * t;
      float dot = 0f;
      for (int j = 0; j <= i; j++) {
        dot += dp.get(drow + j) * p.get(row + j);
      }
      for (int j = 0; j <= i; j++) {
        dp.put(drow + j, scale * p.get(row + j) * (dp.get(drow + j) - dot));
      }
      for (int j = i + 1; j < t; j++) {
        dp.put(drow + j, 0f);
      }
    }
  }

  /** This thread's scratch memory of at least {@code floats} floats, kept for its next calls. */
  private static FloatPointer scratch(int floats) {
    FloatPointer s = SCRATCH.get();
    if (s == null || s.capacity() < floats) {
      s = new FloatPointer(floats);
      SCRATCH.set(s);
    }
    return s;
  }

  private static FloatPointer at(FloatPointer base, long offset) {
    return new FloatPointer(base).position(base.position() + offset);
  }
}
