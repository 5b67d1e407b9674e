package org.align4j.core.dp;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainer's objective, written once for plain and private training: a batch of examples to one loss per example
 * ({@link #build}, what DP-SGD clips through the {@link DpSgd} engine) and to the batch loss plain training
 * minimises ({@link #batchLoss}, through {@link BatchGradients}), built inside a SameDiff graph over the
 * transformer's outputs. {@link SequenceNllLoss} for SFT's private runs, {@code BradleyTerryPairLoss} for a reward
 * model, {@code PreferencePairLoss} for DPO, {@code PolicyRolloutLoss} for PPO (the clipped PPO loss of one
 * prompt's completions).
 *
 * <p>An example may span several graph rows ({@link #rowsPerExample()} = k, such as the chosen and the rejected
 * sequence of a preference pair, whose pair is the privacy unit): example {@code i} then owns graph rows
 * {@code i*k .. i*k+k-1} of every [rows, T] placeholder and of {@link ExampleGraph#hidden()} (row {@code r*T + t}),
 * in both gradient paths. Example {@code i}'s loss must depend only on its own rows' inputs (no batch statistics
 * such as a batch mean or whitening across examples), or the per-example gradients are not per example and the
 * privacy analysis fails.
 *
 * @param <E> the example type
 */
public interface PerExampleLoss<E> {

  /**
   * Adds this loss's placeholders and operations to {@code graph} and returns the loss of every example, shape
   * [B] for a graph of {@code B * rowsPerExample()} rows. Called once per graph.
   */
  SDVariable build(ExampleGraph graph);

  /**
   * Adds the loss that plain (non-private) training minimises over a batch to {@code graph} and returns it, a
   * scalar; the graph then holds exactly the batch's examples (no padding examples). By default the mean of
   * {@link #build}. A loss whose batch form couples the examples (a token mean over the whole batch, a sort over
   * the batch) overrides this; private training uses {@link #build} only.
   */
  default SDVariable batchLoss(ExampleGraph graph) {
    return graph.sameDiff().mean(build(graph));
  }

  /**
   * Names of variables the loss adds to the graph whose values plain training returns beside the gradients (the
   * policy's sums for preference metrics, say); none by default.
   */
  default List<String> outputs() {
    return List.of();
  }

  /** The graph rows one example occupies (1 by default; 2 for a preference pair). */
  default int rowsPerExample() {
    return 1;
  }

  /**
   * The placeholder values (the {@code tokens} placeholder included) for {@code examples} in example slots
   * {@code 0..examples.size()-1}, padded with {@code rows - examples.size()} examples whose loss is exactly zero;
   * row-wise placeholders have {@code rows * rowsPerExample()} graph rows.
   *
   * @param seqLen the graph's sequence length; every example fits ({@link #inputLength} at most seqLen)
   */
  Map<String, INDArray> placeholders(List<E> examples, int rows, int seqLen);

  /** The number of input tokens {@code example} needs in the graph. */
  int inputLength(E example);
}
