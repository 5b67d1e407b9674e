package org.align4j.memorization.canary;

import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * A generated canary.
 *
 * @param id unique id, e.g. {@code "canary-3"}
 * @param format the template it was drawn from
 * @param text the canary's text
 * @param insertions how many copies go into the training data (0 for a reference canary)
 */
public record Canary(String id, String format, String text, int insertions) {

  /** Validates. */
  public Canary {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(text, "text");
    Args.nonNegative("insertions", insertions);
  }
}
