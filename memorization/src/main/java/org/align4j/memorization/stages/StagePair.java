package org.align4j.memorization.stages;

import java.util.Objects;

/**
 * Two stages whose memorization is compared, the earlier first.
 *
 * @param from the earlier stage's name
 * @param to the later stage's name
 */
public record StagePair(String from, String to) {

  /** Validates. */
  public StagePair {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.equals(to)) {
      throw new IllegalArgumentException("a stage pair needs two different stages, got " + from + " twice");
    }
  }
}
