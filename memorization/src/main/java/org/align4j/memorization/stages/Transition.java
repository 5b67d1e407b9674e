package org.align4j.memorization.stages;

import java.util.Objects;
import org.align4j.memorization.stats.Proportion;

/**
 * How discoverable memorization of one split changed from one stage to another. The four counts partition the
 * split's scanned examples.
 *
 * @param from the earlier stage
 * @param to the later stage
 * @param split the split
 * @param both memorized by both stages
 * @param onlyBefore memorized by the earlier stage only (forgotten)
 * @param onlyAfter memorized by the later stage only (newly memorized)
 * @param neither memorized by neither
 * @param retention {@code both / (both + onlyBefore)} with its Wilson interval (0 trials when the earlier stage
 *     memorized nothing)
 */
public record Transition(
    String from, String to, String split, long both, long onlyBefore, long onlyAfter, long neither,
    Proportion retention) {

  /** Validates. */
  public Transition {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(retention, "retention");
    if (both < 0 || onlyBefore < 0 || onlyAfter < 0 || neither < 0) {
      throw new IllegalArgumentException("transition counts must be >= 0");
    }
  }

  /** The number of examples compared: {@code both + onlyBefore + onlyAfter + neither}. */
  public long total() {
    return both + onlyBefore + onlyAfter + neither;
  }
}
