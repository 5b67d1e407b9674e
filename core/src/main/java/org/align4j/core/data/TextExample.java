package org.align4j.core.data;

import java.util.Map;
import java.util.Objects;

/**
 * One text of a corpus: an id, the text, and metadata (string keys; values are strings, numbers or booleans as
 * read from JSON).
 *
 * @param id unique id within its data set
 * @param text the text
 * @param metadata other fields, never null (empty when absent), immutable
 */
public record TextExample(String id, String text, Map<String, Object> metadata) {

  /** Validates and copies the metadata. */
  public TextExample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** An example without metadata. */
  public TextExample(String id, String text) {
    this(id, text, Map.of());
  }
}
