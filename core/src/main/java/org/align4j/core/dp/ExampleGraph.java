package org.align4j.core.dp;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The transformer's outputs as a {@link PerExampleLoss} sees them, over a batch of {@code B} rows of
 * {@link #seqLen()} tokens. Both per-example gradient paths implement it: the loop over micro-batches of one
 * example (the whole {@code TransformerGraph}) and the hand-written passes, whose outputs are the inputs of a graph
 * of the loss alone. A loss written once against this view works with either.
 *
 * <p>The token placeholder is {@code tokens} (INT, [B, T]); the loss adds its own placeholders.
 */
public interface ExampleGraph {

  /** The SameDiff instance, for adding placeholders and operations. */
  SameDiff sameDiff();

  /** The fixed sequence length T. */
  int seqLen();

  /** Final hidden states, [B*T, d] (row b*T + t). */
  SDVariable hidden();

  /** The output logits, [B*T, V] (row b*T + t). */
  SDVariable logits();

  /** log p(targets[b, t] | tokens[b, 0..t]), [B, T]; {@code targets} is an INT variable of shape [B, T]. */
  SDVariable tokenLogProbs(SDVariable targets);

  /**
   * The projection of {@link #hidden()} through the extra trainable parameter {@code name} (a [d, k] matrix the
   * engine was given beside the transformer weights, such as a reward or value head), [B*T, k].
   *
   * @throws IllegalArgumentException when no extra parameter has that name
   */
  SDVariable head(String name);

  /**
   * The extra trainable parameter {@code name} itself, for a loss that reads it directly (such as a head's bias).
   * Plain training differentiates it; per-example clipping covers heads only and refuses a loss that reads one.
   *
   * @throws IllegalArgumentException when no extra parameter has that name
   */
  SDVariable parameter(String name);
}
