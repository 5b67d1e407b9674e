package org.align4j.core.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.align4j.core.util.Nd4jBackend;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The binary weights file: magic {@code A4JWGT01}, the number of arrays, then per array its name (UTF-8, length
 * prefixed), rank, dimensions and float32 values (little-endian), and finally the SHA-256 of everything before
 * it, so truncation and corruption are detected. No Java serialization.
 */
final class WeightsCodec {

  private static final byte[] MAGIC = "A4JWGT01".getBytes(StandardCharsets.US_ASCII);
  private static final int DIGEST_BYTES = 32;

  private WeightsCodec() {}

  static byte[] encode(Map<String, INDArray> arrays) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeInt(arrays.size());
      for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
        byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
        out.writeShort(name.length);
        out.write(name);
        long[] shape = e.getValue().shape();
        out.writeByte(shape.length);
        for (long d : shape) {
          out.writeLong(d);
        }
        float[] data = e.getValue().castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        out.write(buf.array());
      }
      out.flush();
      byte[] body = bytes.toByteArray();
      byte[] digest = sha256(body, body.length);
      byte[] all = Arrays.copyOf(body, body.length + DIGEST_BYTES);
      System.arraycopy(digest, 0, all, body.length, DIGEST_BYTES);
      return all;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes; {@code location} names the file in errors. */
  static Map<String, INDArray> decode(byte[] all, String location) {
    Nd4jBackend.require();
    if (all.length < MAGIC.length + DIGEST_BYTES || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
      throw new CheckpointException(location, "weights file is not in align4j's weights format");
    }
    int bodyLength = all.length - DIGEST_BYTES;
    byte[] digest = sha256(all, bodyLength);
    if (!Arrays.equals(digest, Arrays.copyOfRange(all, bodyLength, all.length))) {
      throw new CheckpointException(location, "weights file is corrupt or truncated (checksum mismatch)");
    }
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, bodyLength))) {
      in.skipNBytes(MAGIC.length);
      int count = in.readInt();
      Map<String, INDArray> out = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        byte[] name = new byte[in.readUnsignedShort()];
        in.readFully(name);
        int rank = in.readUnsignedByte();
        long[] shape = new long[rank];
        long length = 1;
        for (int d = 0; d < rank; d++) {
          shape[d] = in.readLong();
          length *= shape[d];
        }
        if (length < 0 || length * 4 > in.available()) {
          throw new CheckpointException(location, "weights file declares more data than it holds");
        }
        byte[] raw = new byte[(int) length * 4];
        in.readFully(raw);
        float[] data = new float[(int) length];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        out.put(new String(name, StandardCharsets.UTF_8), Nd4j.create(data, shape, 'c'));
      }
      if (in.available() != 0) {
        throw new CheckpointException(location, "weights file has trailing data");
      }
      return out;
    } catch (EOFException e) {
      throw new CheckpointException(location, "weights file is truncated", e);
    } catch (IOException e) {
      throw new CheckpointException(location, "cannot read weights: " + e.getMessage(), e);
    }
  }

  private static byte[] sha256(byte[] data, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(data, 0, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
