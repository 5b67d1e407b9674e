package org.align4j.core.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.provenance.Provenance;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.tokenizer.Tokenizers;

/**
 * Saves and loads a {@link TransformerLm} (configuration, weights, tokenizer, provenance) as one directory or one
 * {@code .zip} file, chosen by the path's extension. Writes are atomic: a crash leaves the old checkpoint or the
 * new one. Loading checks the format, version, checksum and that the parts agree, and names the problem.
 *
 * <p>Layout: {@code model.json} (format, version, kind, configuration), {@code tokenizer.json},
 * {@code weights.bin} (see {@code WeightsCodec}), {@code provenance.json} (the model's history) and
 * {@code checksums.json} ({@link CheckpointManifest}: the SHA-256 of every other file, so that editing any file is
 * detected and named). Checkpoints of version 1 (no manifest, provenance without a history) still load: their
 * weights' own checksum is verified and their provenance read as a one-stage history.
 */
public final class Checkpoints {

  /** The format name written to {@code model.json}. */
  public static final String FORMAT = "align4j-checkpoint";
  /** The current format version (2: with a history and a checksum manifest; version 1 still loads). */
  public static final int VERSION = 2;

  private static final String MODEL = "model.json";
  private static final String TOKENIZER = "tokenizer.json";
  private static final String WEIGHTS = "weights.bin";
  private static final String PROVENANCE = "provenance.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Checkpoints() {}

  /** Saves {@code model} to {@code path}: a zip file when the name ends in {@code .zip}, else a directory. */
  public static void save(TransformerLm model, Path path) {
    Map<String, byte[]> entries = entries(model);
    if (isZip(path)) {
      AtomicFiles.write(path, out -> {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
          for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            zip.putNextEntry(new ZipEntry(e.getKey()));
            zip.write(e.getValue());
            zip.closeEntry();
          }
        }
      });
    } else {
      AtomicFiles.writeDirectory(path, dir -> {
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
          Files.write(dir.resolve(e.getKey()), e.getValue());
        }
      });
    }
  }

  /**
   * Loads a model saved by {@link #save}.
   *
   * @throws CheckpointException when the checkpoint is missing, corrupt, truncated, foreign, of an unsupported
   *     version, or inconsistent
   */
  public static TransformerLm load(Path path) {
    String location = path.toString();
    Map<String, byte[]> entries = read(path, location);
    JsonNode model = json(entries, MODEL, location);
    if (!FORMAT.equals(model.path("format").asText())) {
      throw new CheckpointException(location, MODEL + " is not an align4j checkpoint description");
    }
    int version = model.path("version").asInt(-1);
    if (version < 1 || version > VERSION) {
      throw new CheckpointException(location, "unsupported checkpoint version " + version + " (this is align4j "
          + org.align4j.core.provenance.LibraryVersion.get() + ", which reads versions 1 to " + VERSION + ")");
    }
    byte[] manifest = entries.remove(CheckpointManifest.NAME);
    if (manifest != null) {
      CheckpointManifest.verify(entries, manifest, location);
    } else if (version > 1) {
      throw new CheckpointException(location, "missing " + CheckpointManifest.NAME);
    }
    if (!"TransformerLm".equals(model.path("kind").asText())) {
      throw new CheckpointException(location, "holds a " + model.path("kind").asText() + ", not a TransformerLm");
    }
    TransformerConfig config;
    try {
      config = JSON.treeToValue(model.path("config"), TransformerConfig.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointException(location, "invalid model configuration: " + e.getMessage(), e);
    }
    Tokenizer tokenizer;
    try {
      tokenizer = Tokenizers.fromJson(text(entries, TOKENIZER, location));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(location, "invalid tokenizer: " + e.getMessage(), e);
    }
    Provenance provenance;
    try {
      provenance = Provenance.fromJson(json(entries, PROVENANCE, location));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(location, PROVENANCE + " holds an unreadable history: " + e.getMessage(), e);
    }
    byte[] weightBytes = entries.get(WEIGHTS);
    if (weightBytes == null) {
      throw new CheckpointException(location, "missing " + WEIGHTS);
    }
    try {
      TransformerWeights weights = TransformerWeights.of(config, WeightsCodec.decode(weightBytes, location));
      return TransformerLm.of(weights, tokenizer, provenance);
    } catch (CheckpointException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(location, e.getMessage(), e);
    }
  }

  private static Map<String, byte[]> entries(TransformerLm model) {
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("format", FORMAT);
    description.put("version", VERSION);
    description.put("kind", "TransformerLm");
    description.put("config", model.config());
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try {
      entries.put(MODEL, JSON.writeValueAsBytes(description));
      entries.put(TOKENIZER, model.tokenizer().toJson().getBytes(StandardCharsets.UTF_8));
      entries.put(PROVENANCE, JSON.writeValueAsBytes(model.provenance()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    entries.put(WEIGHTS, WeightsCodec.encode(model.weights().asMap()));
    entries.put(CheckpointManifest.NAME, CheckpointManifest.of(entries));
    return entries;
  }

  private static boolean isZip(Path path) {
    return path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
  }

  private static Map<String, byte[]> read(Path path, String location) {
    Map<String, byte[]> entries = new HashMap<>();
    try {
      if (Files.isDirectory(path)) {
        for (String name : new String[] {MODEL, TOKENIZER, WEIGHTS, PROVENANCE, CheckpointManifest.NAME}) {
          Path file = path.resolve(name);
          if (Files.exists(file)) {
            entries.put(name, Files.readAllBytes(file));
          }
        }
      } else if (Files.exists(path)) {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(path))) {
          for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            entries.put(e.getName(), zip.readAllBytes());
          }
        }
      } else {
        throw new CheckpointException(location, "does not exist");
      }
    } catch (NoSuchFileException e) {
      throw new CheckpointException(location, "does not exist", e);
    } catch (IOException e) {
      throw new CheckpointException(location, "cannot be read (" + e.getMessage() + ")", e);
    }
    if (!entries.containsKey(MODEL)) {
      throw new CheckpointException(location, "is not an align4j checkpoint (no " + MODEL + ")");
    }
    return entries;
  }

  private static String text(Map<String, byte[]> entries, String name, String location) {
    byte[] bytes = entries.get(name);
    if (bytes == null) {
      throw new CheckpointException(location, "missing " + name);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static JsonNode json(Map<String, byte[]> entries, String name, String location) {
    try {
      return JSON.readTree(text(entries, name, location));
    } catch (JsonProcessingException e) {
      throw new CheckpointException(location, name + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
  }
}
