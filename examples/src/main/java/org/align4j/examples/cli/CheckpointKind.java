package org.align4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The two kinds of align4j checkpoint, recognised by their description file ({@code model.json} or
 * {@code reward_model.json} with its format name) in a directory or a zip file, without loading the weights.
 */
enum CheckpointKind {
  /** A language model, written by train-lm, dpo, ppo and quickstart. */
  LANGUAGE_MODEL("model.json", "align4j-checkpoint", "a language-model checkpoint"),
  /** A reward model, written by train-rm. */
  REWARD_MODEL("reward_model.json", "align4j-reward-model", "a reward-model checkpoint");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DESCRIPTION_BYTES = 1 << 20;

  private final String description;
  private final String format;
  private final String title;

  CheckpointKind(String description, String format, String title) {
    this.description = description;
    this.format = format;
    this.title = title;
  }

  /** "a language-model checkpoint" or "a reward-model checkpoint". */
  String title() {
    return title;
  }

  /** The kind of checkpoint at {@code path}, or empty when it is none (or cannot be read). */
  static Optional<CheckpointKind> of(Path path) {
    try {
      if (Files.isDirectory(path)) {
        for (CheckpointKind kind : new CheckpointKind[] {REWARD_MODEL, LANGUAGE_MODEL}) {
          Path file = path.resolve(kind.description);
          if (Files.isRegularFile(file) && Files.size(file) <= MAX_DESCRIPTION_BYTES
              && kind.describes(Files.readAllBytes(file))) {
            return Optional.of(kind);
          }
        }
      } else if (Files.isRegularFile(path)) {
        return ofZip(path);
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<CheckpointKind> ofZip(Path path) throws IOException {
    CheckpointKind found = null;
    try (InputStream in = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        for (CheckpointKind kind : values()) {
          if (e.getName().equals(kind.description) && kind.describes(zip.readNBytes(MAX_DESCRIPTION_BYTES))) {
            found = found == REWARD_MODEL ? found : kind;
          }
        }
      }
    }
    return Optional.ofNullable(found);
  }

  private boolean describes(byte[] json) throws IOException {
    JsonNode root = JSON.readTree(json);
    return root != null && format.equals(root.path("format").asText());
  }
}
