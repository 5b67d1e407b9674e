package org.align4j.core.tokenizer;

/**
 * Turns text into token ids and back. Implementations are immutable and safe to share between threads.
 *
 * <p>{@link #encode} never adds special tokens; callers add {@link #bosId()} and {@link #eosId()} where a model
 * needs them. {@link #decode} drops special tokens. For any valid UTF-8 text, {@code decode(encode(text))} equals
 * {@code text}.
 */
public interface Tokenizer {

  /** Number of distinct token ids, special tokens included; ids are {@code 0 .. vocabSize() - 1}. */
  int vocabSize();

  /** Id of the beginning-of-sequence token. */
  int bosId();

  /** Id of the end-of-sequence token. */
  int eosId();

  /** Id of the padding token. */
  int padId();

  /** Encodes text into token ids, without special tokens. */
  int[] encode(String text);

  /** Decodes token ids into text, skipping special tokens. */
  String decode(int[] ids);

  /** Whether {@code id} is one of the special tokens (BOS, EOS, PAD). */
  default boolean isSpecial(int id) {
    return id == bosId() || id == eosId() || id == padId();
  }

  /** A JSON document from which {@code Tokenizers.fromJson} rebuilds an equal tokenizer. */
  String toJson();
}
