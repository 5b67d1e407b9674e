package org.align4j.core.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.align4j.core.io.AtomicFiles;

/**
 * Writes safetensors files; {@link SafeTensorsFile#open} reads them. The format: an 8-byte little-endian header
 * length N, N bytes of JSON ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}}, padded with spaces to a multiple of 8 bytes), then the tensors' raw
 * little-endian bytes, end to end, offsets counted from the end of the header.
 */
public final class SafeTensors {

  /** The header key of the free-form string metadata. */
  public static final String METADATA = "__metadata__";
  /** The largest header this library reads (the reference implementation's limit). */
  static final long MAX_HEADER = 100_000_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SafeTensors() {}

  /**
   * Writes {@code tensors} in the given order with {@code metadata}, atomically.
   *
   * @throws IllegalArgumentException when two tensors share a name
   */
  public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) {
    byte[] header = header(tensors, metadata);
    AtomicFiles.write(file, out -> {
      ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
      out.write(length.array());
      out.write(header);
      WritableByteChannel channel = Channels.newChannel(out);
      for (Tensor t : tensors) {
        ByteBuffer data = t.data().duplicate();
        data.position(0);
        while (data.hasRemaining()) {
          channel.write(data);
        }
      }
      out.flush();
    });
  }

  /** The JSON header of {@code tensors}, padded with spaces to a multiple of 8 bytes. */
  private static byte[] header(List<Tensor> tensors, Map<String, String> metadata) {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject(METADATA);
      metadata.forEach(meta::put);
    }
    Set<String> names = new HashSet<>();
    long offset = 0;
    for (Tensor t : tensors) {
      if (!names.add(t.name()) || t.name().equals(METADATA)) {
        throw new IllegalArgumentException("tensor name " + t.name() + " is used twice or reserved");
      }
      ObjectNode entry = root.putObject(t.name());
      entry.put("dtype", t.dtype().name());
      ArrayNode shape = entry.putArray("shape");
      Arrays.stream(t.shape()).forEach(shape::add);
      long end = offset + t.data().limit();
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    try {
      byte[] json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
      int padded = (json.length + 7) / 8 * 8;
      byte[] out = Arrays.copyOf(json, padded);
      Arrays.fill(out, json.length, padded, (byte) ' ');
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
