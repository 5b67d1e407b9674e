package org.align4j.memorization.stages;

import java.util.Objects;
import org.align4j.core.model.LanguageModel;

/**
 * One named model of a pipeline, such as {@code "sft"} or {@code "ppo"}.
 *
 * @param name the stage's name, unique within an audit
 * @param model the model after that stage
 */
public record Stage(String name, LanguageModel model) {

  /** Validates. */
  public Stage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a stage name must not be blank");
    }
  }
}
