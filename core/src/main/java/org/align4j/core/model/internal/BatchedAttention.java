package org.align4j.core.model.internal;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Attention} as ND4J operations on the [3, B, H, T, hd] layout (batched {@code matmul}, {@code SoftMax}
 * with an additive mask): for backends without a CPU BLAS to call directly (ND4J's CUDA backend).
 */
final class BatchedAttention implements Attention {

  private static final float MASKED = -1e9f;

  private final int b;
  private final int t;
  private final int heads;
  private final int hd;
  private final INDArray causal;

  /** Attention over {@code b} rows of {@code t} tokens, {@code heads} heads of width {@code hd}. */
  BatchedAttention(int b, int t, int heads, int hd) {
    this.b = b;
    this.t = t;
    this.heads = heads;
    this.hd = hd;
    float[] data = new float[t * t];
    for (int q = 0; q < t; q++) {
      for (int k = q + 1; k < t; k++) {
        data[q * t + k] = MASKED;
      }
    }
    this.causal = Nd4j.create(data, new long[] {(long) t * t}, 'c');
  }

  @Override
  public INDArray forward(INDArray qkv, INDArray merged) {
    INDArray heads5 = split(qkv);
    INDArray scores = Nd4j.matmul(part(heads5, 0), part(heads5, 1), false, true, false).muli(1.0 / Math.sqrt(hd));
    scores.reshape((long) b * heads, (long) t * t).addiRowVector(causal);
    INDArray probs = Nd4j.exec(new SoftMax(scores, scores, 3))[0];
    INDArray out = Nd4j.matmul(probs, part(heads5, 2));
    merged.assign(out.permute(0, 2, 1, 3).dup('c').reshape((long) b * t, (long) heads * hd));
    return probs.reshape((long) b * heads, t, t);
  }

  @Override
  public INDArray backward(INDArray qkv, INDArray probs4, INDArray dMerged) {
    INDArray heads5 = split(qkv);
    INDArray probs = probs4.reshape(b, heads, t, t);
    INDArray dOutHeads = dMerged.reshape(b, t, heads, hd).permute(0, 2, 1, 3).dup('c');
    INDArray dQkv = Nd4j.create(DataType.FLOAT, heads5.shape());
    Nd4j.matmul(probs, dOutHeads, dQkv.get(point(2), all(), all(), all(), all()), true, false, false);
    INDArray dProbs = Nd4j.matmul(dOutHeads, part(heads5, 2), false, true, false);
    INDArray dScores = softmaxBackward(probs, dProbs).muli(1.0 / Math.sqrt(hd));
    Nd4j.matmul(dScores, part(heads5, 1), dQkv.get(point(0), all(), all(), all(), all()), false, false, false);
    Nd4j.matmul(dScores, part(heads5, 0), dQkv.get(point(1), all(), all(), all(), all()), true, false, false);
    return dQkv.permute(1, 3, 0, 2, 4).dup('c').reshape((long) b * t, 3L * heads * hd);
  }

  /** [3, B, H, T, hd], a copy of the stacked projections [N, 3d]. */
  private INDArray split(INDArray qkv) {
    return qkv.reshape(b, t, 3, heads, hd).permute(2, 0, 3, 1, 4).dup('c');
  }

  /** Query (0), key (1) or value (2) heads, [B, H, T, hd]. */
  private static INDArray part(INDArray heads5, int i) {
    return heads5.get(point(i), all(), all(), all(), all());
  }

  /** {@code dS = P * (dP - sum_k dP * P)} over the last axis, in place in {@code dProbs}. */
  private static INDArray softmaxBackward(INDArray probs, INDArray dProbs) {
    long rows = probs.length() / probs.size(-1);
    INDArray p2 = probs.reshape(rows, probs.size(-1));
    INDArray d2 = dProbs.reshape(rows, probs.size(-1));
    INDArray dot = Nd4j.exec(new Dot(d2, p2, 1)).reshape(rows, 1);
    d2.subiColumnVector(dot).muli(p2);
    return dProbs;
  }
}
