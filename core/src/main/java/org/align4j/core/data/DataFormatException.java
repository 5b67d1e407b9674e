package org.align4j.core.data;

/**
 * Malformed input data. The message names the file (or source) and, where there is one, the line, so the user
 * can find and fix the record: {@code "pairs.jsonl:17: missing field \"chosen\""}.
 */
public class DataFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** A problem in {@code source} at {@code line} (1-based). */
  public DataFormatException(String source, long line, String problem) {
    super(source + ":" + line + ": " + problem);
  }

  /** A problem in {@code source} not tied to one line. */
  public DataFormatException(String source, String problem) {
    super(source + ": " + problem);
  }

  /** A problem with a cause. */
  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
