package org.align4j.core.data;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A prompt with a preferred ({@code chosen}) and a dispreferred ({@code rejected}) response, as in the JSONL
 * convention of the Python ecosystem ({@code {"prompt", "chosen", "rejected"}}).
 *
 * @param id unique id within its data set
 * @param prompt the prompt both responses answer
 * @param chosen the preferred response
 * @param rejected the dispreferred response
 * @param category optional category (for example a RewardBench subset name)
 * @param margin optional preference margin used by the Bradley-Terry loss
 */
public record PreferencePair(
    String id, String prompt, String chosen, String rejected, Optional<String> category, OptionalDouble margin) {

  /** Validates the fields. */
  public PreferencePair {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    category = category == null ? Optional.empty() : category;
    margin = margin == null ? OptionalDouble.empty() : margin;
    if (margin.isPresent() && !Double.isFinite(margin.getAsDouble())) {
      throw new IllegalArgumentException("margin must be finite, got " + margin.getAsDouble() + " (pair " + id + ")");
    }
  }

  /** A pair without category or margin. */
  public PreferencePair(String id, String prompt, String chosen, String rejected) {
    this(id, prompt, chosen, rejected, Optional.empty(), OptionalDouble.empty());
  }
}
