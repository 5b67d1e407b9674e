package org.align4j.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checksum manifest of a checkpoint, {@value #NAME}: the SHA-256 of every other file of the checkpoint, so
 * that editing any of them (a configuration, the provenance, the tokenizer, the weights) is detected on loading,
 * with the file named.
 */
public final class CheckpointManifest {

  /** The manifest's file name inside a checkpoint. */
  public static final String NAME = "checksums.json";

  private static final String FORMAT = "align4j-checksums";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CheckpointManifest() {}

  /** The manifest of {@code files} (name to content), sorted by name. */
  public static byte[] of(Map<String, byte[]> files) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("algorithm", "SHA-256");
    ObjectNode sums = root.putObject("files");
    new TreeMap<>(files).forEach((name, bytes) -> sums.put(name, sha256(bytes)));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks that {@code files} (every file of the checkpoint but the manifest) are exactly those {@code manifest}
   * lists, each with its checksum.
   *
   * @throws CheckpointException naming {@code location} and the first file that is missing, unlisted or changed
   */
  public static void verify(Map<String, byte[]> files, byte[] manifest, String location) {
    JsonNode root;
    try {
      root = JSON.readTree(manifest);
    } catch (IOException e) {
      throw new CheckpointException(location, NAME + " is not valid JSON (" + e.getMessage() + ")", e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText()) || !root.path("files").isObject()) {
      throw new CheckpointException(location, NAME + " is not an align4j checksum manifest");
    }
    JsonNode sums = root.path("files");
    TreeSet<String> names = new TreeSet<>(files.keySet());
    sums.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      byte[] bytes = files.get(name);
      JsonNode expected = sums.get(name);
      if (bytes == null) {
        throw new CheckpointException(location, "missing " + name + " (listed in " + NAME + ")");
      }
      if (expected == null) {
        throw new CheckpointException(location, name + " is not listed in " + NAME + " (added after saving?)");
      }
      if (!expected.asText().equals(sha256(bytes))) {
        throw new CheckpointException(location, name + " is corrupt or truncated, or was edited after saving"
            + " (its SHA-256 differs from the one in " + NAME + ")");
      }
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
