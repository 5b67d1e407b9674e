package org.align4j.optimizers.dp;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The function DP-SGD differentiates: a batch of examples to one loss per example, built inside a SameDiff graph.
 * This is what a trainer supplies to reuse the {@link DpSgd} engine: {@link SequenceNllLoss} for SFT; a DP reward
 * model would return the Bradley-Terry loss of each preference pair from {@link ExampleGraph#head}; DP PPO the
 * clipped policy loss of each rollout (one pass over each sampled batch, as the accountant assumes).
 *
 * <p>Row {@code b}'s loss must depend only on row {@code b}'s inputs (no batch statistics such as a batch mean or
 * whitening across rows), or the per-example gradients are not per example and the privacy analysis fails.
 *
 * @param <E> the example type
 */
public interface PerExampleLoss<E> {

  /**
   * Adds this loss's placeholders and operations to {@code graph} and returns the loss of every row, shape [B].
   * Called once per graph.
   */
  SDVariable build(ExampleGraph graph);

  /**
   * The placeholder values (the {@code tokens} placeholder included) for {@code examples} in rows
   * {@code 0..examples.size()-1}, padded with {@code rows - examples.size()} rows whose loss is exactly zero.
   *
   * @param seqLen the graph's sequence length; every example fits ({@link #inputLength} at most seqLen)
   */
  Map<String, INDArray> placeholders(List<E> examples, int rows, int seqLen);

  /** The number of input tokens {@code example} needs in the graph. */
  int inputLength(E example);
}
