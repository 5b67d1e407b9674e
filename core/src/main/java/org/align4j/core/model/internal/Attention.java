package org.align4j.core.model.internal;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Causal multi-head self-attention of a training pass over {@code B} rows of {@code T} tokens, from the stacked
 * query/key/value projections {@code qkv} [N, 3d] (N = B*T, row {@code b*T + t}; columns query | key | value, head
 * {@code h} at columns {@code h*hd} within each) to the merged heads [N, d], and back.
 */
interface Attention {

  /**
   * Writes each head's attention-weighted values into its columns of {@code merged} [N, d], and returns the
   * attention weights, [B * H, T, T], zero above the diagonal.
   */
  INDArray forward(INDArray qkv, INDArray merged);

  /**
   * The gradient of the stacked projections, [N, 3d], from that of the merged heads {@code dMerged} [N, d], given
   * the projections {@code qkv} and the weights {@code probs} {@link #forward} returned.
   */
  INDArray backward(INDArray qkv, INDArray probs, INDArray dMerged);

  /** Direct BLAS calls where ND4J's CPU backend is loaded ({@link DirectAttention}), else ND4J's operations. */
  static Attention of(int b, int t, int heads, int hd) {
    return CpuBlas.available() ? new DirectAttention(b, t, heads, hd) : new BatchedAttention(b, t, heads, hd);
  }
}
