package org.align4j.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import org.align4j.core.checkpoint.CheckpointException;

/** Typed reads of a {@code config.json} that name the file and key when a value is missing or of the wrong kind. */
final class HfConfig {

  private final JsonNode root;
  private final String where;

  HfConfig(JsonNode root, String where) {
    this.root = root;
    this.where = where;
  }

  JsonNode root() {
    return root;
  }

  boolean has(String key) {
    return root.hasNonNull(key);
  }

  int integer(String key) {
    JsonNode n = root.get(key);
    if (n == null || !n.canConvertToInt()) {
      throw bad("needs an integer " + key);
    }
    return n.asInt();
  }

  int integer(String key, int fallback) {
    return has(key) ? integer(key) : fallback;
  }

  double number(String key, double fallback) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isNumber()) {
      throw bad("needs a number " + key + ", got " + n);
    }
    return n.asDouble();
  }

  boolean bool(String key, boolean fallback) {
    JsonNode n = root.get(key);
    return n == null || n.isNull() ? fallback : n.asBoolean();
  }

  String text(String key, String fallback) {
    JsonNode n = root.get(key);
    return n == null || n.isNull() ? fallback : n.asText();
  }

  /** Fails when {@code key} is set to something other than its default ({@code fallback}). */
  void requireDefault(String key, boolean fallback, String meaning) {
    if (bool(key, fallback) != fallback) {
      throw unsupported(key + "=" + !fallback + " (" + meaning + ")");
    }
  }

  CheckpointException bad(String problem) {
    return new CheckpointException(where, "config.json " + problem);
  }

  CheckpointException unsupported(String option) {
    return new CheckpointException(where, "config.json sets " + option + ", which align4j does not implement");
  }
}
