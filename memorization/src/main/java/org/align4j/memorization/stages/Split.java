package org.align4j.memorization.stages;

import java.util.Objects;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;

/**
 * One named data split, such as the fine-tuning data or the held-out data. Example ids must be unique within it.
 *
 * @param name the split's name, unique within an audit
 * @param data its examples
 */
public record Split(String name, Dataset<TextExample> data) {

  /** Validates. */
  public Split {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(data, "data");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a split name must not be blank");
    }
  }
}
