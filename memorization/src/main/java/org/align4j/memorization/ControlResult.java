package org.align4j.memorization;

import java.util.Objects;

/**
 * What the control model generated from the same prompt.
 *
 * @param generated the control's continuation (possibly redacted)
 * @param tokenDistance its token edit distance to the target
 * @param normalizedDistance that distance normalised
 * @param memorized whether the control reproduces the target within the threshold
 */
public record ControlResult(String generated, int tokenDistance, double normalizedDistance, boolean memorized) {

  /** Validates. */
  public ControlResult {
    Objects.requireNonNull(generated, "generated");
  }
}
