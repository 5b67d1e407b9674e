package org.align4j.core.model.internal;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.align4j.core.util.FloatViews;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One part of a backward pass's weight gradients, kept in factored form (activations and output gradients) so that
 * it can be evaluated as it is, or with every example's rows scaled by that example's clip factor, and so that each
 * example's share of it has a norm without the per-example gradient being summed into the batch's. The batch's
 * rows are its examples' positions, {@code rows / examples} consecutive rows each.
 */
interface GradientTerm {

  /** The parameters whose gradients this term gives, in the order of {@link #gradients}. */
  List<String> names();

  /** Adds every example's squared L2 norm of this term's gradient to {@code squaredNorms[example]}. */
  void addSquaredNorms(double[] squaredNorms);

  /**
   * The gradient of every parameter of {@link #names}, each example's contribution scaled by
   * {@code exampleScales[example]}, or unscaled when it is null.
   */
  List<INDArray> gradients(double[] exampleScales);

  /** A [1, rows] row repeating each example's scale over its {@code rowsPerExample} rows. */
  static INDArray rowScales(double[] exampleScales, int rowsPerExample) {
    float[] row = new float[exampleScales.length * rowsPerExample];
    for (int r = 0; r < row.length; r++) {
      row[r] = (float) exampleScales[r / rowsPerExample];
    }
    return Nd4j.create(row, new long[] {1, row.length}, 'c');
  }

  /**
   * {@code y} ([examples * m, k], c-ordered) with each example's rows multiplied by its scale, in a new array: a
   * Java pass over the memory (an ND4J operation per call costs more than the arithmetic at these sizes), or, for
   * an array without a plain float view, the product of the diagonal [examples, examples] matrix of the scales with
   * y seen as [examples, m * k] (ND4J's column-vector broadcast is ten times slower). Same values either way.
   */
  static INDArray scaleExamples(INDArray y, double[] exampleScales) {
    int b = exampleScales.length;
    FloatBuffer in = FloatViews.of(y);
    if (in == null) {
      float[] diagonal = new float[b * b];
      for (int i = 0; i < b; i++) {
        diagonal[i * b + i] = (float) exampleScales[i];
      }
      INDArray d = Nd4j.create(diagonal, new long[] {b, b}, 'c');
      return Affine.product(d, y.reshape(b, y.length() / b), false, false).reshape(y.shape());
    }
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, y.shape(), 'c');
    FloatBuffer o = FloatViews.of(out);
    int per = (int) (y.length() / b);
    for (int i = 0; i < b; i++) {
      float s = (float) exampleScales[i];
      for (int j = i * per, end = j + per; j < end; j++) {
        o.put(j, in.get(j) * s);
      }
    }
    return out;
  }

  /**
   * {@code x} ([examples * m, k], c-ordered) as [examples, m, k], whose {@code slice(i)} is example i's rows (a
   * cheaper view than an interval of rows).
   */
  static INDArray byExample(INDArray x, int examples) {
    return x.reshape(examples, x.size(0) / examples, x.size(1));
  }

  /** {@code full}'s columns cut into {@code parts} equal blocks, each a c-ordered copy (or {@code full} itself). */
  static List<INDArray> splitColumns(INDArray full, int parts) {
    if (parts == 1) {
      return List.of(full);
    }
    int width = (int) (full.size(1) / parts);
    int rows = (int) full.size(0);
    FloatBuffer in = FloatViews.of(full);
    List<INDArray> out = new ArrayList<>(parts);
    if (in == null) {
      for (int k = 0; k < parts; k++) {
        out.add(full.get(all(), interval(k * width, (k + 1) * width)).dup('c'));
      }
      return out;
    }
    for (int k = 0; k < parts; k++) {
      // a Java copy of each row's block: cheaper than ND4J's strided dup at these sizes
      INDArray part = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, width}, 'c');
      FloatBuffer o = FloatViews.of(part);
      for (int r = 0; r < rows; r++) {
        o.put(r * width, in, (r * parts + k) * width, width);
      }
      out.add(part);
    }
    return out;
  }

  /** The most floats a term's per-example arrays take at once; examples are taken in chunks within it. */
  long CHUNK_FLOATS = 1L << 24;

  /** How many examples' arrays of {@code floats} floats each fit {@link #CHUNK_FLOATS} (at least one). */
  static int chunk(int examples, long floats) {
    return (int) Math.max(1, Math.min(examples, CHUNK_FLOATS / floats));
  }

  /**
   * Each row's squared norm of a [c, k] array, as the diagonal of its Gram matrix (one product: ND4J's row
   * reductions cost more than the arithmetic at these sizes).
   */
  static double[] rowSquaredNorms(INDArray p) {
    return diagonal(Affine.product(p, p, false, true));
  }

  /** Each column's squared norm of a [k, c] array, as the diagonal of its Gram matrix. */
  static double[] columnSquaredNorms(INDArray p) {
    return diagonal(Affine.product(p, p, true, false));
  }

  private static double[] diagonal(INDArray square) {
    int c = (int) square.size(0);
    float[] values = square.data().asFloat();
    double[] out = new double[c];
    for (int i = 0; i < c; i++) {
      out[i] = values[i * c + i];
    }
    return out;
  }

  /** Each row's sum of a [c, k] array, as one matrix-vector product. */
  static double[] rowSums(INDArray p) {
    float[] sums = Affine.product(p, Nd4j.ones(p.dataType(), p.size(1), 1), false, false).data().asFloat();
    double[] out = new double[sums.length];
    for (int i = 0; i < sums.length; i++) {
      out[i] = sums[i];
    }
    return out;
  }

  /**
   * A [rows, examples] matrix whose column i is 1 on example i's rows: {@code Y^T} times it sums a [rows, k] Y per
   * example, [k, examples] (ND4J takes a faster path for this orientation than for the transposed product).
   */
  static INDArray exampleSums(int examples, int rowsPerExample) {
    float[] e = new float[examples * examples * rowsPerExample];
    for (int r = 0; r < examples * rowsPerExample; r++) {
      e[r * examples + r / rowsPerExample] = 1f;
    }
    return Nd4j.create(e, new long[] {(long) examples * rowsPerExample, examples}, 'c');
  }
}
