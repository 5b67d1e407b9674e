package org.align4j.core.tokenizer;

/** Checks on token ids shared by the tokenizers of this package. */
final class TokenIds {

  private TokenIds() {}

  /** Throws if {@code id} is not a valid id of a vocabulary of {@code vocabSize} tokens. */
  static void checkId(int id, int vocabSize) {
    if (id < 0 || id >= vocabSize) {
      throw new IllegalArgumentException("token id must be in [0, " + vocabSize + "), got " + id);
    }
  }
}
