package org.align4j.core.model.internal;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The gradient of the learned positions, [context, d]: its first T rows are the sum over rows of the gradient of
 * the embedded input, [T, d] per row; an example's share is the sum of its own rows' [T, d] blocks.
 */
final class PositionTerm implements GradientTerm {

  private final RowSumTerm sums;
  private final long positions;
  private final long width;
  private final long context;

  /**
   * The term of {@code dx} ([rows * T, d], the gradient of the embedded input), the rows being {@code examples}
   * examples' consecutive rows.
   */
  PositionTerm(INDArray dx, int rows, int examples, int context) {
    this.positions = dx.size(0) / rows;
    this.width = dx.size(1);
    this.context = context;
    this.sums = new RowSumTerm(List.of("pos_emb"), dx.reshape(rows, positions * width), examples);
  }

  @Override
  public List<String> names() {
    return sums.names();
  }

  @Override
  public void addSquaredNorms(double[] squaredNorms) {
    sums.addSquaredNorms(squaredNorms);
  }

  @Override
  public List<INDArray> gradients(double[] exampleScales) {
    INDArray sum = sums.gradients(exampleScales).get(0);
    INDArray dPos = Nd4j.zeros(DataType.FLOAT, context, width);
    dPos.get(interval(0, positions), all()).assign(sum.reshape(positions, width));
    return List.of(dPos);
  }
}
