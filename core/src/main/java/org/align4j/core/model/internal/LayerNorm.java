package org.align4j.core.model.internal;

import java.util.List;
import org.align4j.core.model.TransformerWeights;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A layer norm over the rows of a [N, d] array, {@code (x - mean) / sqrt(var + eps) * g + b}, with what its
 * backward pass needs: the inference passes read {@link #out}, the training passes also call {@link #backward}.
 */
public final class LayerNorm {

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
    INDArray centred = x.subColumnVector(x.mean(true, 1));
    INDArray var = centred.mul(centred).mean(true, 1).addi(w.config().architecture().normEps());
    rstd = Transforms.pow(var, -0.5, false);
    normed = centred.muliColumnVector(rstd);
    out = normed.mulRowVector(w.get(prefix + ".g")).addiRowVector(w.get(prefix + ".b"));
  }

  /**
   * Adds the gain and bias gradients to {@code terms} (the rows being {@code examples} examples' positions) and
   * returns the input's gradient.
   */
  INDArray backward(INDArray dOut, int examples, List<GradientTerm> terms) {
    terms.add(new RowSumTerm(List.of(prefix + ".g"), dOut.mul(normed), examples));
    terms.add(new RowSumTerm(List.of(prefix + ".b"), dOut, examples));
    INDArray dNormed = dOut.mulRowVector(w.get(prefix + ".g"));
    INDArray meanD = dNormed.mean(true, 1);
    INDArray meanDn = dNormed.mul(normed).mean(true, 1);
    return dNormed.subiColumnVector(meanD).subi(normed.mulColumnVector(meanDn)).muliColumnVector(rstd);
  }
}
