package org.align4j.examples.study;

import java.util.Objects;

/**
 * Whether one finding of the paper held in this run, with the numbers that decide it.
 *
 * @param id the finding's letter in the paper's order ({@code "a"}, {@code "b"}, {@code "c"})
 * @param claim the finding as the paper states it
 * @param verdict whether it held
 * @param evidence the rates and 95% Wilson intervals behind the verdict
 */
public record StudyFinding(String id, String claim, Verdict verdict, String evidence) {

  /** The outcome of a finding in one run. */
  public enum Verdict {
    /** The intervals separate in the paper's direction. */
    HELD,
    /** The intervals separate in the opposite direction. */
    CONTRADICTED,
    /** The intervals overlap, or there was nothing to measure. */
    INCONCLUSIVE
  }

  /** Validates. */
  public StudyFinding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(evidence, "evidence");
  }

  /** One line: {@code (a) HELD: claim -- evidence}. */
  public String line() {
    return "(" + id + ") " + verdict + ": " + claim + " -- " + evidence;
  }
}
