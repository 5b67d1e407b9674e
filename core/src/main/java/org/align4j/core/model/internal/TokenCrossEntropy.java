package org.align4j.core.model.internal;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The weighted next-token cross-entropy {@code -sum_r weight[r] * log softmax(logits[r])[target[r]]} of a batch
 * of logit rows, and its gradient with respect to the logits, {@code weight[r] * (softmax(logits[r]) -
 * onehot(target[r]))}. Log-softmax is computed stably (each row shifted by its maximum), so extreme finite logits give
 * finite values.
 */
public final class TokenCrossEntropy {

  private TokenCrossEntropy() {}

  /**
   * The loss and its logit gradient.
   *
   * @param loss the weighted sum of negative log-probabilities, in float64
   * @param dLogits the gradient of {@code loss} with respect to the logits, [N, V]
   */
  public record Result(double loss, INDArray dLogits) {}

  /**
   * The loss of {@code logits} ([N, V]) for {@code targets} (N ids in [0, V)) weighted by {@code weights} (N
   * values; 0 ignores a row).
   *
   * @throws IllegalArgumentException when the lengths disagree or a weighted target is outside the vocabulary
   */
  public static Result of(INDArray logits, int[] targets, float[] weights) {
    long n = logits.size(0);
    int v = (int) logits.size(1);
    if (targets.length != n || weights.length != n) {
      throw new IllegalArgumentException("targets (" + targets.length + ") and weights (" + weights.length
          + ") must have one entry per logit row (" + n + ")");
    }
    INDArray shifted = logits.subColumnVector(logits.max(true, 1));
    INDArray probs = Transforms.exp(shifted, true);
    INDArray sums = probs.sum(true, 1);
    probs.diviColumnVector(sums);
    double loss = 0;
    for (int r = 0; r < n; r++) {
      if (weights[r] == 0) {
        continue;
      }
      if (targets[r] < 0 || targets[r] >= v) {
        throw new IllegalArgumentException("target " + targets[r] + " of row " + r + " is outside [0, " + v + ")");
      }
      loss -= weights[r] * (shifted.getDouble(r, targets[r]) - Math.log(sums.getDouble(r, 0)));
    }
    INDArray dLogits = probs.muliColumnVector(Nd4j.createFromArray(weights).reshape(n, 1));
    for (int r = 0; r < n; r++) {
      if (weights[r] != 0) {
        dLogits.putScalar(r, targets[r], dLogits.getDouble(r, targets[r]) - weights[r]);
      }
    }
    return new Result(loss, dLogits);
  }
}
