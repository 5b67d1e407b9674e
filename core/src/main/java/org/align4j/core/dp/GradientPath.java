package org.align4j.core.dp;

import java.util.List;
import java.util.Map;
import org.align4j.core.model.Architecture;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.util.Args;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How per-example gradients are computed: by the hand-written passes with per-example clipping in one pass per
 * physical batch ({@link #BACKPROP}), by a loop of one-example micro-batches through the SameDiff graph
 * ({@link #LOOP}), or {@link #AUTO}, which takes the hand-written passes whenever the model's architecture has
 * them.
 */
public enum GradientPath {
  /**
   * {@link LoopPerExampleGradients}: one SameDiff forward and backward pass per example, memory of one gradient;
   * the independent reference of the hand-written path, and the path of architectures it does not implement.
   */
  LOOP,
  /** {@link #BACKPROP} when the model's architecture has hand-written passes, else {@link #LOOP}. */
  AUTO,
  /**
   * {@link BackpropPerExampleGradients}: one hand-written forward and backward pass per physical batch, each
   * example's norm from the kept activations and output gradients, no per-example copy of anything; every
   * {@link PerExampleLoss}, with extra parameters that are linear heads on the hidden states. The fastest path,
   * with the memory of one non-private pass.
   */
  BACKPROP;

  private static final List<Architecture.Activation> HAND_WRITTEN = List.of(Architecture.Activation.GELU_SIGMOID);

  /**
   * Builds the per-example gradients of {@code loss} over the transformer's weights and {@code extraParameters}.
   *
   * @param seqLen the loop's graph sequence length (every example's input length at most this)
   * @param physicalBatchSize examples per hand-written pass ({@code > 0}; ignored by the loop)
   * @param training whether dropout (if the model has any) is applied
   */
  public <E> PerExampleGradients<E> build(TransformerWeights weights, Map<String, INDArray> extraParameters,
      PerExampleLoss<E> loss, int seqLen, int physicalBatchSize, boolean training) {
    Args.positive("physicalBatchSize", physicalBatchSize);
    return resolve(weights.config()) == LOOP
        ? new LoopPerExampleGradients<>(weights, extraParameters, loss, seqLen, training)
        : new BackpropPerExampleGradients<>(weights, extraParameters, loss, training, physicalBatchSize);
  }

  /**
   * This path, or for {@link #AUTO} the one it takes for a model of {@code config}: {@link #BACKPROP} when the
   * hand-written passes implement its architecture, else {@link #LOOP}.
   */
  public GradientPath resolve(TransformerConfig config) {
    if (this != AUTO) {
      return this;
    }
    return config.architecture().unsupportedBy(HAND_WRITTEN).isEmpty() ? BACKPROP : LOOP;
  }
}
