package org.align4j.core.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.align4j.core.checkpoint.CheckpointException;

/**
 * One open safetensors file: its header parsed and checked on {@link #open}, each tensor memory-mapped when asked
 * for. Every problem (a missing or truncated file, a header that is not JSON, an unknown dtype, offsets outside
 * the file or disagreeing with the shape) is a {@link CheckpointException} naming the file and, where one is at
 * fault, the tensor. Mapped tensors stay valid after {@link #close}.
 */
public final class SafeTensorsFile implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where a tensor lies: absolute byte offsets in the file. */
  private record Entry(DType dtype, long[] shape, long begin, long end) {}

  private final Path file;
  private final FileChannel channel;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafeTensorsFile(Path file, FileChannel channel, Map<String, Entry> entries, Map<String, String> metadata) {
    this.file = file;
    this.channel = channel;
    this.entries = entries;
    this.metadata = metadata;
  }

  /**
   * Opens {@code file} and checks its header against the file's size.
   *
   * @throws CheckpointException when the file is missing, unreadable or malformed
   */
  public static SafeTensorsFile open(Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file.toString(), "does not exist", e);
    } catch (IOException e) {
      throw new CheckpointException(file.toString(), "cannot be read (" + e.getMessage() + ")", e);
    }
    try {
      return parse(file, channel);
    } catch (RuntimeException | IOException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof CheckpointException c) {
        throw c;
      }
      throw new CheckpointException(file.toString(), "cannot be read (" + e.getMessage() + ")", e);
    }
  }

  private static SafeTensorsFile parse(Path file, FileChannel channel) throws IOException {
    String where = file.toString();
    long size = channel.size();
    if (size < 8) {
      throw new CheckpointException(where, "is not a safetensors file (" + size + " bytes, shorter than its header)");
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lengthBytes, 0);
    long headerLength = lengthBytes.getLong(0);
    if (headerLength <= 0 || headerLength > SafeTensors.MAX_HEADER || headerLength > size - 8) {
      throw new CheckpointException(where, "is not a safetensors file or is truncated (header length "
          + headerLength + ", file size " + size + ")");
    }
    ByteBuffer header = ByteBuffer.allocate((int) headerLength);
    readFully(channel, header, 8);
    JsonNode root;
    try {
      root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new CheckpointException(where, "has a header that is not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(where, "has a header that is not a JSON object");
    }
    long dataStart = 8 + headerLength;
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals(SafeTensors.METADATA)) {
        field.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      entries.put(name, entry(where, name, field.getValue(), dataStart, size));
    }
    return new SafeTensorsFile(file, channel, Collections.unmodifiableMap(entries),
        Collections.unmodifiableMap(metadata));
  }

  private static Entry entry(String where, String name, JsonNode node, long dataStart, long size) {
    DType dtype;
    try {
      dtype = DType.parse(node.path("dtype").asText());
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(where, "tensor " + name + ": " + e.getMessage(), e);
    }
    JsonNode shapeNode = node.path("shape");
    JsonNode offsets = node.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new CheckpointException(where, "tensor " + name + ": header entry needs a shape and two data_offsets");
    }
    long[] shape = new long[shapeNode.size()];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong(-1);
      if (shape[i] < 0) {
        throw new CheckpointException(where, "tensor " + name + ": invalid shape " + shapeNode);
      }
      elements = Math.multiplyExact(elements, shape[i]);
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    if (begin < 0 || end < begin || end - begin != elements * dtype.bytes()) {
      throw new CheckpointException(where, "tensor " + name + ": data_offsets " + offsets + " do not hold "
          + elements + " elements of " + dtype);
    }
    if (dataStart + end > size) {
      throw new CheckpointException(where, "tensor " + name + ": data ends at byte " + (dataStart + end)
          + " but the file has " + size + " bytes (truncated or corrupt)");
    }
    return new Entry(dtype, shape, dataStart + begin, dataStart + end);
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      at += n;
    }
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** The tensor names, in header order. */
  public Set<String> names() {
    return entries.keySet();
  }

  /** The header's string metadata (empty when there is none). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Whether the file holds a tensor called {@code name}. */
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /**
   * The tensor called {@code name}, its bytes memory-mapped from the file.
   *
   * @throws CheckpointException when there is no such tensor or it cannot be mapped
   */
  public Tensor tensor(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new CheckpointException(file.toString(), "has no tensor " + name);
    }
    try {
      ByteBuffer data = e.end == e.begin ? ByteBuffer.allocate(0)
          : channel.map(FileChannel.MapMode.READ_ONLY, e.begin, e.end - e.begin);
      return new Tensor(name, e.dtype, e.shape, data);
    } catch (IOException ex) {
      throw new CheckpointException(file.toString(), "tensor " + name + " cannot be read (" + ex.getMessage() + ")",
          ex);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
