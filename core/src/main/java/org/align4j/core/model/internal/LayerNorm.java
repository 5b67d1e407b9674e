package org.align4j.core.model.internal;

import java.nio.FloatBuffer;
import java.util.List;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.util.FloatViews;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A layer norm over the rows of a [N, d] array, {@code (x - mean) / sqrt(var + eps) * g + b}, with what its
 * backward pass needs: the inference passes read {@link #out}, the training passes also call {@link #backward}.
 *
 * <p>A float input of at most {@link #JAVA_ELEMENTS} elements is normalised by loops over its memory
 * ({@link FloatViews}), each row's mean and variance summed in double: at a small model's widths the eight ND4J
 * operations of the forward pass and the nine of the backward pass cost more in dispatch than in arithmetic. Larger
 * inputs, other data types and views take the ND4J operations, which split the rows over threads. Both agree to
 * float rounding.
 */
public final class LayerNorm {

  /** The largest input normalised by Java loops (a d_model 64 batch of 16 x 32 positions is 32,768). */
  static final long JAVA_ELEMENTS = 1 << 17;

  private final TransformerWeights w;
  private final String prefix;
  private final INDArray normed;
  private final INDArray rstd;
  /** The normalised, scaled and shifted rows, [N, d]. */
  public final INDArray out;

  /** Layer norm {@code prefix} (weights {@code prefix.g}, {@code prefix.b}) of the rows of {@code x}. */
  public LayerNorm(TransformerWeights w, String prefix, INDArray x) {
    this.w = w;
    this.prefix = prefix;
    INDArray g = w.get(prefix + ".g");
    INDArray b = w.get(prefix + ".b");
    double eps = w.config().architecture().normEps();
    FloatBuffer xv = javaSized(x) ? FloatViews.of(x) : null;
    FloatBuffer gv = FloatViews.of(g);
    FloatBuffer bv = FloatViews.of(b);
    if (xv != null && gv != null && bv != null) {
      int n = (int) x.size(0);
      int d = (int) x.size(1);
      normed = Nd4j.createUninitialized(DataType.FLOAT, n, d);
      rstd = Nd4j.createUninitialized(DataType.FLOAT, n, 1);
      out = Nd4j.createUninitialized(DataType.FLOAT, n, d);
      forward(xv, gv, bv, (float) eps, n, d, FloatViews.of(normed), FloatViews.of(rstd), FloatViews.of(out));
    } else {
      INDArray centred = x.subColumnVector(x.mean(true, 1));
      INDArray var = centred.mul(centred).mean(true, 1).addi(eps);
      rstd = Transforms.pow(var, -0.5, false);
      normed = centred.muliColumnVector(rstd);
      out = normed.mulRowVector(g).addiRowVector(b);
    }
  }

  private static boolean javaSized(INDArray x) {
    return x.rank() == 2 && x.length() <= JAVA_ELEMENTS;
  }

  private static void forward(FloatBuffer x, FloatBuffer g, FloatBuffer b, float eps, int n, int d,
      FloatBuffer normed, FloatBuffer rstd, FloatBuffer out) {
    for (int r = 0; r < n; r++) {
      int row = r * d;
      double sum = 0;
      for (int j = 0; j < d; j++) {
        sum += x.get(row + j);
      }
      float mean = (float) (sum / d);
      double squares = 0;
      for (int j = 0; j < d; j++) {
        float c = x.get(row + j) - mean;
        squares += c * c;
      }
      float rs = (float) (1 / Math.sqrt((float) (squares / d) + eps));
      rstd.put(r, rs);
      for (int j = 0; j < d; j++) {
        float v = (x.get(row + j) - mean) * rs;
        normed.put(row + j, v);
        out.put(row + j, v * g.get(j) + b.get(j));
      }
    }
  }

  /**
   * Adds the gain and bias gradients to {@code terms} (the rows being {@code examples} examples' positions) and
   * returns the input's gradient.
   */
  INDArray backward(INDArray dOut, int examples, List<GradientTerm> terms) {
    INDArray g = w.get(prefix + ".g");
    FloatBuffer dv = javaSized(dOut) ? FloatViews.of(dOut) : null;
    FloatBuffer nv = FloatViews.of(normed);
    FloatBuffer gv = FloatViews.of(g);
    if (dv == null || nv == null || gv == null) {
      terms.add(new RowSumTerm(List.of(prefix + ".g"), dOut.mul(normed), examples));
      terms.add(new RowSumTerm(List.of(prefix + ".b"), dOut, examples));
      INDArray dNormed = dOut.mulRowVector(g);
      INDArray meanD = dNormed.mean(true, 1);
      INDArray meanDn = dNormed.mul(normed).mean(true, 1);
      return dNormed.subiColumnVector(meanD).subi(normed.mulColumnVector(meanDn)).muliColumnVector(rstd);
    }
    int n = (int) dOut.size(0);
    int d = (int) dOut.size(1);
    INDArray dGain = Nd4j.createUninitialized(DataType.FLOAT, n, d);
    INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, n, d);
    backward(dv, nv, gv, FloatViews.of(rstd), n, d, FloatViews.of(dGain), FloatViews.of(dx));
    terms.add(new RowSumTerm(List.of(prefix + ".g"), dGain, examples));
    terms.add(new RowSumTerm(List.of(prefix + ".b"), dOut, examples));
    return dx;
  }

  /**
   * Per row: {@code dGain = dOut * normed} and {@code dx = (dN - mean(dN) - normed * mean(dN * normed)) * rstd}
   * with {@code dN = dOut * g}.
   */
  private static void backward(FloatBuffer dOut, FloatBuffer normed, FloatBuffer g, FloatBuffer rstd, int n, int d,
      FloatBuffer dGain, FloatBuffer dx) {
    for (int r = 0; r < n; r++) {
      int row = r * d;
      double sumD = 0;
      double sumDn = 0;
      for (int j = 0; j < d; j++) {
        float o = dOut.get(row + j);
        float nj = normed.get(row + j);
        float dn = o * g.get(j);
        dGain.put(row + j, o * nj);
        sumD += dn;
        sumDn += dn * nj;
      }
      float meanD = (float) (sumD / d);
      float meanDn = (float) (sumDn / d);
      float rs = rstd.get(r);
      for (int j = 0; j < d; j++) {
        float nj = normed.get(row + j);
        dx.put(row + j, (dOut.get(row + j) * g.get(j) - meanD - nj * meanDn) * rs);
      }
    }
  }
}
