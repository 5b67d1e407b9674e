package org.align4j.core.model.internal;

import org.align4j.core.model.TransformerWeights;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transformer's matrix products: {@code op(a) op(b)} and the dense layers {@code x W + b}, each as one BLAS
 * product into a fresh c-ordered array. ND4J 1.0.0-M2.1's {@code INDArray.mmul} and its allocating
 * {@code Nd4j.gemm(a, b, transA, transB)} take slower paths (measured at 64 x 256 x 256: 830 and 370
 * microseconds against 170 for a product into a given array).
 */
public final class Affine {

  private Affine() {}

  /** {@code op(a) op(b)}, where op transposes when asked. */
  public static INDArray product(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
    long rows = transposeA ? a.size(1) : a.size(0);
    long cols = transposeB ? b.size(0) : b.size(1);
    INDArray out = Nd4j.createUninitialized(a.dataType(), rows, cols);
    return Nd4j.gemm(a, b, out, transposeA, transposeB, 1.0, 0.0);
  }

  /** {@code x W + b} for x [N, in], W [in, out], b [out] (or null for none). */
  public static INDArray apply(INDArray x, INDArray w, INDArray b) {
    INDArray out = product(x, w, false, false);
    return b == null ? out : out.addiRowVector(b);
  }

  /**
   * The sum of each column of a [N, k] matrix, [k], as a matrix-vector product: ND4J's strided column reduction
   * ({@code sum(0)}) is several times slower.
   */
  public static INDArray columnSums(INDArray x) {
    return product(Nd4j.ones(x.dataType(), 1, x.size(0)), x, false, false).reshape(x.size(1));
  }

  /**
   * Layer {@code layer}'s query, key and value projection matrices of {@code w} side by side,
   * [d, d + 2 kvHeads headDim]: a fresh copy, so that the three projections run as one matrix product.
   */
  public static INDArray qkvWeight(TransformerWeights w, int layer) {
    String p = "l" + layer + ".attn.";
    return Nd4j.concat(1, w.get(p + "wq"), w.get(p + "wk"), w.get(p + "wv"));
  }

  /** Layer {@code layer}'s query, key and value biases of {@code w} end to end: a fresh copy, or null without them. */
  public static INDArray qkvBias(TransformerWeights w, int layer) {
    if (!w.config().architecture().qkvBias()) {
      return null;
    }
    String p = "l" + layer + ".attn.";
    return Nd4j.concat(0, w.get(p + "bq"), w.get(p + "bk"), w.get(p + "bv"));
  }
}
