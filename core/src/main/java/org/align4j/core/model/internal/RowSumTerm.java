package org.align4j.core.model.internal;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A gradient that is the sum of the rows of a [N, k] array Y (a bias: the output gradient; a layer norm's gain:
 * the output gradient times the normalised input), split by columns among its parameters, each a vector. An
 * example's share is the sum of its own rows.
 */
final class RowSumTerm implements GradientTerm {

  private final List<String> names;
  private final INDArray y;
  private final int examples;
  private final int rowsPerExample;

  RowSumTerm(List<String> names, INDArray y, int examples) {
    this.names = names;
    this.y = y;
    this.examples = examples;
    this.rowsPerExample = (int) (y.size(0) / examples);
  }

  @Override
  public List<String> names() {
    return names;
  }

  @Override
  public void addSquaredNorms(double[] squaredNorms) {
    double[] sq = rowsPerExample == 1 ? GradientTerm.rowSquaredNorms(y)
        : GradientTerm.columnSquaredNorms(
            Affine.product(y, GradientTerm.exampleSums(examples, rowsPerExample), true, false));
    for (int i = 0; i < examples; i++) {
      squaredNorms[i] += sq[i];
    }
  }

  @Override
  public List<INDArray> gradients(double[] exampleScales) {
    INDArray sums = exampleScales == null ? Affine.columnSums(y)
        : Affine.product(GradientTerm.rowScales(exampleScales, rowsPerExample), y, false, false).reshape(y.size(1));
    return GradientTerm.splitColumns(sums.reshape(1, y.size(1)), names.size()).stream()
        .map(v -> v.reshape(v.length())).toList();
  }
}
