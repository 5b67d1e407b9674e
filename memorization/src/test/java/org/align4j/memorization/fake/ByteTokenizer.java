package org.align4j.memorization.fake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.align4j.core.tokenizer.Tokenizer;

/** Test tokenizer: one id per UTF-8 byte (0..255), then BOS 256, EOS 257, PAD 258 (and optional extra ids). */
public final class ByteTokenizer implements Tokenizer {

  private final int vocabSize;

  /** The standard 259-id tokenizer. */
  public ByteTokenizer() {
    this(259);
  }

  /** A tokenizer claiming {@code vocabSize} ids (at least 259). */
  public ByteTokenizer(int vocabSize) {
    this.vocabSize = vocabSize;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int bosId() {
    return 256;
  }

  @Override
  public int eosId() {
    return 257;
  }

  @Override
  public int padId() {
    return 258;
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

  @Override
  public String decode(int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int id : ids) {
      if (id < 256) {
        out.write(id);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  public String toJson() {
    return "{\"type\":\"bytes\",\"vocabSize\":" + vocabSize + "}";
  }
}
