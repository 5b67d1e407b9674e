package org.align4j.core.tokenizer;

/**
 * GPT-2's reversible map between the 256 byte values and printable characters: printable Latin-1 bytes map to
 * themselves, the others (control characters, space, ...) to code points from U+0100 on, in byte order.
 */
final class ByteLevel {

  private static final char[] TO_CHAR = new char[256];
  private static final int[] TO_BYTE = new int[0x200];

  static {
    java.util.Arrays.fill(TO_BYTE, -1);
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      TO_CHAR[b] = printable ? (char) b : (char) (256 + extra++);
      TO_BYTE[TO_CHAR[b]] = b;
    }
  }

  private ByteLevel() {}

  /** The characters of {@code bytes}. */
  static String encode(byte[] bytes) {
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = TO_CHAR[bytes[i] & 0xff];
    }
    return new String(out);
  }

  /** The byte of character {@code c}, or -1 when it is not one of the 256. */
  static int toByte(char c) {
    return c < TO_BYTE.length ? TO_BYTE[c] : -1;
  }
}
