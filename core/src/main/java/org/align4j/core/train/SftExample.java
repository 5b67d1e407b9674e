package org.align4j.core.train;

import java.util.Objects;

/**
 * A prompt and the completion to learn: the loss covers only the completion (and the EOS after it).
 *
 * @param prompt text the model reads without being trained on it (may be empty)
 * @param completion text the model learns to produce
 */
public record SftExample(String prompt, String completion) {

  /** Validates. */
  public SftExample {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(completion, "completion");
  }
}
