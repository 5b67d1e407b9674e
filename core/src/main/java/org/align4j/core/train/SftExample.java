package org.align4j.core.train;

import java.util.List;
import java.util.Objects;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;

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

  /** The {@link DataFingerprint} of prompt-completion examples: each example's prompt and completion. */
  public static String fingerprint(Dataset<SftExample> data) {
    return DataFingerprint.of(data, "prompt-completion", e -> List.of(e.prompt(), e.completion()));
  }
}
