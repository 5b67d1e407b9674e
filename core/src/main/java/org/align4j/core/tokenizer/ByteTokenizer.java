package org.align4j.core.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * The simplest tokenizer: one token per UTF-8 byte. Ids {@code 0..255} are the byte values, then {@link #BOS}
 * ({@code 256}), {@link #EOS} ({@code 257}) and {@link #PAD} ({@code 258}), so {@link #vocabSize()} is 259.
 *
 * <p>{@link #decode} skips special tokens and turns byte sequences that are not valid UTF-8 (a model can generate
 * any bytes) into the replacement character U+FFFD; it never fails on such input. Immutable and stateless: use
 * {@link #INSTANCE}.
 */
public final class ByteTokenizer implements Tokenizer {

  /** Id of the beginning-of-sequence token. */
  public static final int BOS = 256;

  /** Id of the end-of-sequence token. */
  public static final int EOS = 257;

  /** Id of the padding token. */
  public static final int PAD = 258;

  /** The one instance. */
  public static final ByteTokenizer INSTANCE = new ByteTokenizer();

  static final String TYPE = "byte";

  private ByteTokenizer() {}

  @Override
  public int vocabSize() {
    return 259;
  }

  @Override
  public int bosId() {
    return BOS;
  }

  @Override
  public int eosId() {
    return EOS;
  }

  @Override
  public int padId() {
    return PAD;
  }

  @Override
  public int[] encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      ids[i] = bytes[i] & 0xFF;
    }
    return ids;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if an id is outside {@code 0 .. vocabSize() - 1}
   */
  @Override
  public String decode(int[] ids) {
    byte[] bytes = new byte[ids.length];
    int n = 0;
    for (int id : ids) {
      TokenIds.checkId(id, vocabSize());
      if (id < 256) {
        bytes[n++] = (byte) id;
      }
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }

  @Override
  public String toJson() {
    return "{\"type\":\"" + TYPE + "\",\"version\":" + Tokenizers.FORMAT_VERSION + "}";
  }

  @Override
  public String toString() {
    return "ByteTokenizer(vocabSize=259)";
  }
}
