package org.align4j.memorization;

import java.util.List;
import java.util.Objects;

/**
 * How memorization changed between two stages (say, after fine-tuning and after RL): the ids of examples
 * memorized in both, only before, only after, in neither, and those that cannot be compared (absent from a
 * report that kept every finding, for example skipped there).
 *
 * @param both memorized before and after
 * @param onlyBefore memorized before only (forgotten)
 * @param onlyAfter memorized after only (newly memorized)
 * @param neither memorized in neither
 * @param unmatched present in one report only and unknown in the other
 */
public record StageComparison(
    List<String> both, List<String> onlyBefore, List<String> onlyAfter, List<String> neither,
    List<String> unmatched) {

  /** Copies. */
  public StageComparison {
    both = List.copyOf(Objects.requireNonNull(both, "both"));
    onlyBefore = List.copyOf(Objects.requireNonNull(onlyBefore, "onlyBefore"));
    onlyAfter = List.copyOf(Objects.requireNonNull(onlyAfter, "onlyAfter"));
    neither = List.copyOf(Objects.requireNonNull(neither, "neither"));
    unmatched = List.copyOf(Objects.requireNonNull(unmatched, "unmatched"));
  }

  /** Number memorized in both stages. */
  public int bothCount() {
    return both.size();
  }

  /** Number memorized before only. */
  public int onlyBeforeCount() {
    return onlyBefore.size();
  }

  /** Number memorized after only. */
  public int onlyAfterCount() {
    return onlyAfter.size();
  }

  /** Number memorized in neither stage. */
  public int neitherCount() {
    return neither.size();
  }
}
