package org.align4j.core.model;

import java.util.List;
import org.align4j.core.provenance.Provenance;
import org.align4j.core.tokenizer.Tokenizer;

/**
 * An autoregressive language model over the token ids of its {@link #tokenizer()}. Implementations are safe to
 * call from several threads at once.
 *
 * <p>Sequences are plain token-id arrays (a BOS is not added implicitly: include {@code tokenizer().bosId()} where
 * the model was trained with one). Batches are ragged lists; implementations pad and mask internally.
 */
public interface LanguageModel {

  /** The tokenizer whose ids this model reads and writes. */
  Tokenizer tokenizer();

  /** The longest sequence (prompt plus generated tokens) the model accepts. */
  int contextLength();

  /**
   * Per-token log-probabilities: for each sequence {@code s} of length {@code n >= 1}, an array of length
   * {@code n - 1} whose element {@code t - 1} is {@code log p(s[t] | s[0..t-1])}, in natural log.
   *
   * @throws IllegalArgumentException when a sequence is empty, longer than {@link #contextLength()}, or holds an
   *     id outside the vocabulary
   */
  List<float[]> tokenLogProbs(List<int[]> sequences);

  /**
   * Continues each prompt. Returns, per prompt, only the new tokens: at most {@code config.maxNewTokens()}, never
   * running past {@link #contextLength()}, and, when {@code config.stopAtEos()}, ending with the first EOS
   * (included) after which nothing more is generated. Greedy decoding ({@code temperature == 0}) is deterministic;
   * sampling is reproducible from {@code config.seed()}.
   *
   * @throws IllegalArgumentException when a prompt is empty or does not fit the context
   */
  List<int[]> generate(List<int[]> prompts, GenerationConfig config);

  /** Where this model came from: configuration, training data hash, seed, steps, library version. */
  Provenance provenance();
}
