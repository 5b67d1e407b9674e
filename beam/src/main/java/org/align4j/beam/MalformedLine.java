package org.align4j.beam;

import java.util.Objects;

/**
 * A line of a JSONL input that is not a valid example, set aside by {@link JsonlInput} with
 * {@code skipMalformed}.
 *
 * @param file the file, as its URI or path
 * @param line the 1-based line number
 * @param error what is wrong, naming file and line
 */
public record MalformedLine(String file, long line, String error) {

  /** Validates. */
  public MalformedLine {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(error, "error");
  }
}
