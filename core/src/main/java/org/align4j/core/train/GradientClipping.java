package org.align4j.core.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Clipping of a set of gradients by their global L2 norm. */
public final class GradientClipping {

  private GradientClipping() {}

  /** The L2 norm of all gradients together. */
  public static double globalNorm(Map<String, INDArray> grads) {
    double sumSquares = 0;
    for (INDArray g : grads.values()) {
      double n = g.norm2Number().doubleValue();
      sumSquares += n * n;
    }
    return Math.sqrt(sumSquares);
  }

  /**
   * Scales all gradients in place so their global norm is at most {@code maxNorm} (no-op when {@code maxNorm} is
   * infinite or the norm is already below it).
   *
   * @return the global norm before clipping
   */
  public static double clipByGlobalNorm(Map<String, INDArray> grads, double maxNorm) {
    double norm = globalNorm(grads);
    if (Double.isFinite(maxNorm) && norm > maxNorm) {
      double scale = maxNorm / (norm + 1e-12);
      grads.values().forEach(g -> g.muli(scale));
    }
    return norm;
  }
}
