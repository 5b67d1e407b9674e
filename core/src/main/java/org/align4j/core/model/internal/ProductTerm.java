package org.align4j.core.model.internal;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dense layer's weight gradient {@code X^T G} (X [N, in] its inputs, G [N, out] the gradient of its outputs),
 * split by columns among its parameters (the fused query, key and value weights are three). An example's squared
 * norm {@code ||X_i^T G_i||^2} is computed whichever way costs fewer operations: from the two m x m Gram matrices,
 * {@code <X_i X_i^T, G_i G_i^T>} (the "ghost norm" of Goodfellow 2015 and Li et al. 2022; for short
 * rows and wide layers, see {@link #ghost}), or by forming {@code X_i^T G_i}; either way for a chunk of examples at
 * a time in a reused buffer, one product per example and one reduction per chunk.
 */
final class ProductTerm implements GradientTerm {

  private final List<String> names;
  private final INDArray x;
  private final INDArray g;
  private final int examples;
  private final int rowsPerExample;

  ProductTerm(List<String> names, INDArray x, INDArray g, int examples) {
    this.names = names;
    this.x = x;
    this.g = g;
    this.examples = examples;
    this.rowsPerExample = (int) (x.size(0) / examples);
  }

  @Override
  public List<String> names() {
    return names;
  }

  /**
   * Whether to use the Gram matrices: they take two products per example and an element-wise pass, against one
   * product, so only when they need at most half the arithmetic ({@code 2 m (in + out) <= in out}).
   */
  boolean ghost() {
    long in = x.size(1);
    long out = g.size(1);
    return 2L * rowsPerExample * (in + out) <= in * out;
  }

  @Override
  public void addSquaredNorms(double[] squaredNorms) {
    int m = rowsPerExample;
    long in = x.size(1);
    long out = g.size(1);
    boolean gram = ghost();
    int size = GradientTerm.chunk(examples, gram ? (long) m * m : in * out);
    INDArray first = Nd4j.createUninitialized(x.dataType(), size, gram ? m : in, gram ? m : out);
    INDArray second = gram ? Nd4j.createUninitialized(x.dataType(), size, m, m) : null;
    INDArray x3 = GradientTerm.byExample(x, examples);
    INDArray g3 = GradientTerm.byExample(g, examples);
    for (int from = 0; from < examples; from += size) {
      int c = Math.min(size, examples - from);
      for (int k = 0; k < c; k++) {
        INDArray xi = x3.slice(from + k);
        INDArray gi = g3.slice(from + k);
        if (gram) {
          Nd4j.gemm(xi, xi, first.slice(k), false, true, 1.0, 0.0);
          Nd4j.gemm(gi, gi, second.slice(k), false, true, 1.0, 0.0);
        } else {
          Nd4j.gemm(xi, gi, first.slice(k), true, false, 1.0, 0.0);
        }
      }
      INDArray used = first.reshape(size, first.length() / size).get(interval(0, c), all());
      double[] sq = gram
          ? GradientTerm.rowSums(used.muli(second.reshape(size, (long) m * m).get(interval(0, c), all())))
          : GradientTerm.rowSquaredNorms(used);
      for (int k = 0; k < c; k++) {
        squaredNorms[from + k] += sq[k];
      }
    }
  }

  @Override
  public List<INDArray> gradients(double[] exampleScales) {
    INDArray full;
    if (exampleScales == null) {
      full = Affine.product(x, g, true, false);
    } else if (x.size(1) <= g.size(1)) { // scale the narrower side: X^T (s G) = (s X)^T G
      full = Affine.product(GradientTerm.scaleExamples(x, exampleScales), g, true, false);
    } else {
      full = Affine.product(x, GradientTerm.scaleExamples(g, exampleScales), true, false);
    }
    return GradientTerm.splitColumns(full, names.size());
  }
}
