package org.align4j.core.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines of strict UTF-8 one at a time, decoding each line on its own so that an encoding error is reported
 * at the line that holds it. Lines end at {@code \n}; a {@code \r} before it is dropped.
 */
public final class Utf8LineReader implements Closeable {

  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private byte[] line = new byte[256];

  /** Reads lines from {@code in}, which {@link #close()} closes. */
  public Utf8LineReader(InputStream in) {
    this.in = in;
  }

  /**
   * The next line without its terminator, or null at the end of the input.
   *
   * @throws CharacterCodingException if the line is not valid UTF-8
   */
  public String readLine() throws IOException {
    int length = 0;
    boolean any = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          if (!any) {
            return null;
          }
          break;
        }
      }
      any = true;
      byte b = buffer[position++];
      if (b == '\n') {
        break;
      }
      if (length == line.length) {
        line = Arrays.copyOf(line, length * 2);
      }
      line[length++] = b;
    }
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    return decode(line, length);
  }

  /**
   * Decodes {@code bytes[0..length)} as UTF-8, rejecting malformed input.
   *
   * @throws CharacterCodingException if the bytes are not valid UTF-8
   */
  static String decode(byte[] bytes, int length) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes, 0, length))
        .toString();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
