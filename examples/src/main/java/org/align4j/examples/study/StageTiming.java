package org.align4j.examples.study;

import java.util.Objects;

/**
 * How long one stage of a study took.
 *
 * @param stage the stage's name ({@code "audit"} for the audits)
 * @param seconds wall time in seconds (0 when loaded from a checkpoint)
 * @param resumed whether the stage was loaded from a checkpoint of an earlier run
 */
public record StageTiming(String stage, double seconds, boolean resumed) {

  /** Validates. */
  public StageTiming {
    Objects.requireNonNull(stage, "stage");
  }
}
