package org.align4j.rewardmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.align4j.core.checkpoint.CheckpointException;
import org.align4j.core.checkpoint.CheckpointManifest;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.model.TransformerLm;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The on-disk form of a {@link TransformerRewardModel}: {@code reward_model.json} (format, version, kind and the
 * head's weights and bias as JSON numbers, which round-trip float32 exactly) beside the backbone saved by core's
 * {@link Checkpoints} under {@code lm/} (which carries the model's history), and {@code checksums.json}, a
 * {@link CheckpointManifest} over {@code reward_model.json} and the backbone's own manifest, so that editing any
 * file is detected; as a directory, or as a zip file holding the same entries. Version 1 (no manifest) still loads.
 */
final class RewardModelCheckpoint {

  static final String FORMAT = "align4j-reward-model";
  static final int VERSION = 2;
  static final String DESCRIPTION = "reward_model.json";
  static final String LM = "lm";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RewardModelCheckpoint() {}

  static void save(TransformerRewardModel model, Path path) {
    byte[] description = description(model);
    if (isZip(path)) {
      AtomicFiles.write(path, out -> {
        Path temp = Files.createTempDirectory("align4j-reward-model");
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
          zip.putNextEntry(new ZipEntry(DESCRIPTION));
          zip.write(description);
          zip.closeEntry();
          Checkpoints.save(model.backbone(), temp.resolve(LM));
          for (Path file : list(temp.resolve(LM))) {
            zip.putNextEntry(new ZipEntry(LM + "/" + file.getFileName()));
            zip.write(Files.readAllBytes(file));
            zip.closeEntry();
          }
          zip.putNextEntry(new ZipEntry(CheckpointManifest.NAME));
          zip.write(manifest(description, Files.readAllBytes(temp.resolve(LM).resolve(CheckpointManifest.NAME))));
          zip.closeEntry();
        } finally {
          delete(temp);
        }
      });
    } else {
      AtomicFiles.writeDirectory(path, dir -> {
        Checkpoints.save(model.backbone(), dir.resolve(LM));
        Files.write(dir.resolve(DESCRIPTION), description);
        Files.write(dir.resolve(CheckpointManifest.NAME),
            manifest(description, Files.readAllBytes(dir.resolve(LM).resolve(CheckpointManifest.NAME))));
      });
    }
  }

  static TransformerRewardModel load(Path path) {
    String location = path.toString();
    if (Files.isDirectory(path)) {
      Path description = path.resolve(DESCRIPTION);
      if (!Files.exists(description)) {
        throw notRewardModel(location, Files.exists(path.resolve("model.json")));
      }
      byte[] bytes;
      byte[] manifest;
      byte[] lmManifest;
      try {
        bytes = Files.readAllBytes(description);
        manifest = readIfExists(path.resolve(CheckpointManifest.NAME));
        lmManifest = readIfExists(path.resolve(LM).resolve(CheckpointManifest.NAME));
      } catch (IOException e) {
        throw new CheckpointException(location, "cannot be read (" + e.getMessage() + ")", e);
      }
      Head head = head(bytes, location);
      verify(head.version(), bytes, lmManifest, manifest, location);
      return withHead(Checkpoints.load(path.resolve(LM)), head, location);
    }
    if (!Files.exists(path)) {
      throw new CheckpointException(location, "does not exist");
    }
    Map<String, byte[]> lmEntries = new HashMap<>();
    byte[] description = null;
    byte[] manifest = null;
    boolean lmCheckpoint = false;
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(path))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().equals(DESCRIPTION)) {
          description = zip.readAllBytes();
        } else if (e.getName().equals(CheckpointManifest.NAME)) {
          manifest = zip.readAllBytes();
        } else if (e.getName().startsWith(LM + "/") && !e.isDirectory()) {
          String name = e.getName().substring(LM.length() + 1);
          if (name.contains("/") || name.contains("\\") || name.equals("..")) {
            throw new CheckpointException(location, "holds an unexpected entry " + e.getName());
          }
          lmEntries.put(name, zip.readAllBytes());
        } else {
          lmCheckpoint |= e.getName().equals("model.json");
        }
      }
    } catch (IOException e) {
      throw new CheckpointException(location, "cannot be read as a zip file (" + e.getMessage() + ")", e);
    }
    if (description == null) {
      throw notRewardModel(location, lmCheckpoint);
    }
    Head head = head(description, location);
    verify(head.version(), description, lmEntries.get(CheckpointManifest.NAME), manifest, location);
    return withHead(loadBackbone(lmEntries, location), head, location);
  }

  /** The head as read from {@code reward_model.json}. */
  private record Head(int version, int dModel, float[] weight, float bias) {}

  private static byte[] manifest(byte[] description, byte[] lmManifest) {
    return CheckpointManifest.of(Map.of(DESCRIPTION, description, LM + "/" + CheckpointManifest.NAME, lmManifest));
  }

  /** Checks the manifest over the head and the backbone's manifest (required from version 2 on). */
  private static void verify(int version, byte[] description, byte[] lmManifest, byte[] manifest, String location) {
    if (manifest == null) {
      if (version > 1) {
        throw new CheckpointException(location, "missing " + CheckpointManifest.NAME);
      }
      return;
    }
    Map<String, byte[]> files = new HashMap<>();
    files.put(DESCRIPTION, description);
    if (lmManifest != null) {
      files.put(LM + "/" + CheckpointManifest.NAME, lmManifest);
    }
    CheckpointManifest.verify(files, manifest, location);
  }

  private static byte[] readIfExists(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllBytes(file) : null;
  }

  private static byte[] description(TransformerRewardModel model) {
    float[] w = model.headWeight().reshape(-1).toFloatVector();
    List<Float> weight = new ArrayList<>(w.length);
    for (float v : w) {
      weight.add(v);
    }
    Map<String, Object> head = new LinkedHashMap<>();
    head.put("dModel", w.length);
    head.put("weight", weight);
    head.put("bias", model.headBias().getFloat(0));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("format", FORMAT);
    d.put("version", VERSION);
    d.put("kind", "TransformerRewardModel");
    d.put("head", head);
    try {
      return JSON.writeValueAsBytes(d);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Head head(byte[] bytes, String location) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new CheckpointException(location, DESCRIPTION + " is not valid JSON (" + e.getMessage() + ")", e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new CheckpointException(location, DESCRIPTION + " is not an align4j reward-model description");
    }
    int version = root.path("version").asInt(-1);
    if (version < 1 || version > VERSION) {
      throw new CheckpointException(location, "unsupported reward-model checkpoint version " + version
          + " (this library reads versions 1 to " + VERSION + ")");
    }
    JsonNode head = root.path("head");
    JsonNode weight = head.path("weight");
    int d = head.path("dModel").asInt(-1);
    if (!weight.isArray() || weight.size() != d || !head.path("bias").isNumber()) {
      throw new CheckpointException(location, DESCRIPTION + " has a malformed head (expected dModel " + d
          + " weights and a numeric bias)");
    }
    float[] w = new float[d];
    for (int i = 0; i < d; i++) {
      if (!weight.get(i).isNumber() || !Float.isFinite((float) weight.get(i).asDouble())) {
        throw new CheckpointException(location, DESCRIPTION + " head weight " + i + " is not a finite number");
      }
      w[i] = (float) weight.get(i).asDouble();
    }
    float bias = (float) head.path("bias").asDouble();
    if (!Float.isFinite(bias)) {
      throw new CheckpointException(location, DESCRIPTION + " head bias is not a finite number");
    }
    return new Head(version, d, w, bias);
  }

  private static TransformerRewardModel withHead(TransformerLm backbone, Head head, String location) {
    if (head.dModel() != backbone.config().dModel()) {
      throw new CheckpointException(location, "the head has " + head.dModel() + " inputs but the language model's"
          + " width is " + backbone.config().dModel());
    }
    return TransformerRewardModel.of(backbone, Nd4j.create(head.weight(), new long[] {head.dModel(), 1}, 'c'),
        Nd4j.createFromArray(head.bias()));
  }

  private static TransformerLm loadBackbone(Map<String, byte[]> entries, String location) {
    Path temp = null;
    try {
      temp = Files.createTempDirectory("align4j-reward-model");
      Path lm = Files.createDirectory(temp.resolve(LM));
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        Files.write(lm.resolve(e.getKey()), e.getValue());
      }
      try {
        return Checkpoints.load(lm);
      } catch (CheckpointException e) {
        throw new CheckpointException(location, "its language model: " + e.getMessage()
            .replace("checkpoint " + lm + ": ", ""), e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + location + ": " + e.getMessage(), e);
    } finally {
      delete(temp);
    }
  }

  private static CheckpointException notRewardModel(String location, boolean languageModel) {
    return new CheckpointException(location, "is not an align4j reward-model checkpoint (no " + DESCRIPTION + ")"
        + (languageModel ? "; it is a language-model checkpoint: use TransformerRewardModel.fromLanguageModel" : ""));
  }

  private static boolean isZip(Path path) {
    return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static void delete(Path path) {
    if (path == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: a leftover temporary directory is harmless
    }
  }
}
