package org.align4j.core.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.align4j.core.checkpoint.CheckpointException;

/**
 * The weights of a Hugging Face model folder: {@code model.safetensors}, or the shards named by
 * {@code model.safetensors.index.json} (its {@code weight_map} from tensor name to shard file). Every shard is
 * opened and checked up front, so a missing or corrupt shard is reported (naming the file and a tensor it should
 * hold) before anything is computed.
 */
public final class SafeTensorsFolder implements AutoCloseable {

  /** The single-file weights name. */
  public static final String SINGLE = "model.safetensors";
  /** The index of sharded weights. */
  public static final String INDEX = "model.safetensors.index.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, SafeTensorsFile> byTensor;
  private final List<SafeTensorsFile> files;

  private SafeTensorsFolder(Map<String, SafeTensorsFile> byTensor, List<SafeTensorsFile> files) {
    this.byTensor = byTensor;
    this.files = files;
  }

  /**
   * Opens the weights of {@code folder}.
   *
   * @throws CheckpointException when there are no weights, or a shard is missing, corrupt or lacks a tensor the
   *     index puts in it
   */
  public static SafeTensorsFolder open(Path folder) {
    Path index = folder.resolve(INDEX);
    Map<String, SafeTensorsFile> byTensor = new LinkedHashMap<>();
    List<SafeTensorsFile> files = new ArrayList<>();
    try {
      if (Files.exists(index)) {
        Map<String, String> weightMap = weightMap(index);
        Map<String, SafeTensorsFile> byShard = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
          SafeTensorsFile shard = byShard.get(e.getValue());
          if (shard == null) {
            Path file = folder.resolve(e.getValue());
            if (!Files.exists(file)) {
              throw new CheckpointException(file.toString(), "shard is missing (the index puts tensor " + e.getKey()
                  + " in it)");
            }
            shard = SafeTensorsFile.open(file);
            files.add(shard);
            byShard.put(e.getValue(), shard);
          }
          if (!shard.contains(e.getKey())) {
            throw new CheckpointException(shard.file().toString(), "has no tensor " + e.getKey()
                + ", which " + INDEX + " puts in it");
          }
          byTensor.put(e.getKey(), shard);
        }
      } else if (Files.exists(folder.resolve(SINGLE))) {
        SafeTensorsFile file = SafeTensorsFile.open(folder.resolve(SINGLE));
        files.add(file);
        file.names().forEach(n -> byTensor.put(n, file));
      } else {
        throw new CheckpointException(folder.toString(), "has neither " + SINGLE + " nor " + INDEX);
      }
    } catch (RuntimeException e) {
      files.forEach(SafeTensorsFile::close);
      throw e;
    }
    return new SafeTensorsFolder(byTensor, files);
  }

  private static Map<String, String> weightMap(Path index) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(index, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new CheckpointException(index.toString(), "is not valid JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new CheckpointException(index.toString(), "cannot be read (" + e.getMessage() + ")", e);
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject()) {
      throw new CheckpointException(index.toString(), "has no weight_map object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    map.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** Every tensor name, shards in index order. */
  public Set<String> names() {
    return Collections.unmodifiableSet(byTensor.keySet());
  }

  /** Whether a tensor called {@code name} exists. */
  public boolean contains(String name) {
    return byTensor.containsKey(name);
  }

  /**
   * The tensor called {@code name}.
   *
   * @throws CheckpointException when it does not exist
   */
  public Tensor tensor(String name) {
    SafeTensorsFile f = byTensor.get(name);
    if (f == null) {
      throw new CheckpointException(files.isEmpty() ? "weights" : files.get(0).file().getParent().toString(),
          "has no tensor " + name);
    }
    return f.tensor(name);
  }

  /**
   * Writes {@code tensors} into {@code folder} (which must exist): one {@value #SINGLE} when their data fits in
   * {@code maxShardBytes}, else shards {@code model-0000i-of-0000n.safetensors} of at most that size each (a
   * larger tensor gets a shard of its own) and their index.
   */
  public static void write(Path folder, List<Tensor> tensors, Map<String, String> metadata, long maxShardBytes) {
    List<List<Tensor>> shards = new ArrayList<>();
    long used = Long.MAX_VALUE;
    long total = 0;
    for (Tensor t : tensors) {
      long size = t.data().limit();
      total += size;
      if (used + size > maxShardBytes || shards.isEmpty()) {
        shards.add(new ArrayList<>());
        used = 0;
      }
      shards.get(shards.size() - 1).add(t);
      used += size;
    }
    if (shards.size() <= 1) {
      SafeTensors.write(folder.resolve(SINGLE), tensors, metadata);
      return;
    }
    ObjectNode index = JSON.createObjectNode();
    index.putObject("metadata").put("total_size", total);
    ObjectNode weightMap = index.putObject("weight_map");
    for (int i = 0; i < shards.size(); i++) {
      String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
      SafeTensors.write(folder.resolve(name), shards.get(i), metadata);
      shards.get(i).forEach(t -> weightMap.put(t.name(), name));
    }
    try {
      org.align4j.core.io.AtomicFiles.writeString(folder.resolve(INDEX),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    files.forEach(SafeTensorsFile::close);
  }
}
