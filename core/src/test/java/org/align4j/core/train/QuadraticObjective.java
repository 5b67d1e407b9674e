package org.align4j.core.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A test objective for {@link TrainingLoop}: {@code sum_j (x_j - t_i,j)^2 / 2} averaged over a batch of examples
 * {@code i}, whose minimum is the mean target. Records its batches and counts its gradient calls.
 */
class QuadraticObjective implements TrainingLoop.Objective<int[]> {

  final INDArray x;
  final List<int[]> batches = new ArrayList<>();
  int gradientCalls;
  private final IntFunction<double[]> target;

  /** The objective over {@code dim} coordinates, example {@code i}'s target {@code target.apply(i)}. */
  QuadraticObjective(int dim, IntFunction<double[]> target) {
    this.x = Nd4j.zeros(DataType.DOUBLE, dim);
    this.target = target;
  }

  /** The one trained parameter, {@code x}. */
  Map<String, INDArray> parameters() {
    Map<String, INDArray> p = new LinkedHashMap<>();
    p.put("x", x);
    return p;
  }

  @Override
  public int[] batch(int[] indices) {
    batches.add(indices);
    return indices;
  }

  @Override
  public TrainingLoop.Gradients gradients(int[] batch) {
    gradientCalls++;
    double[] xv = x.toDoubleVector();
    double[] grad = new double[xv.length];
    double loss = 0;
    for (int i : batch) {
      double[] t = target.apply(i);
      for (int j = 0; j < xv.length; j++) {
        double d = xv[j] - t[j];
        loss += 0.5 * d * d / batch.length;
        grad[j] += d / batch.length;
      }
    }
    Map<String, INDArray> g = new LinkedHashMap<>();
    g.put("x", Nd4j.createFromArray(grad));
    return new TrainingLoop.Gradients(reportedLoss(loss, batch), g, batch.length, batch.length);
  }

  /** The loss the step reports for {@code batch} (a subclass may replace it, e.g. by NaN). */
  double reportedLoss(double loss, int[] batch) {
    return loss;
  }
}
