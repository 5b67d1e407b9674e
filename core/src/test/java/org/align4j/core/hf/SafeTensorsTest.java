package org.align4j.core.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.align4j.core.checkpoint.CheckpointException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

  @TempDir Path dir;

  private static Tensor raw(String name, DType dtype, long[] shape, short... halves) {
    ByteBuffer b = ByteBuffer.allocate(halves.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short h : halves) {
      b.putShort(h);
    }
    return new Tensor(name, dtype, shape, b.flip());
  }

  private List<Tensor> sample() {
    return List.of(
        Tensor.ofFloats("a.weight", new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-30f, Float.MAX_VALUE}),
        // F16: 1.0, -2.0, 65504 (max), smallest subnormal 2^-24, +inf, 0.5
        raw("b.half", DType.F16, new long[] {6}, (short) 0x3c00, (short) 0xc000, (short) 0x7bff, (short) 0x0001,
            (short) 0x7c00, (short) 0x3800),
        // BF16: 1.0, -3.0, 2^-126 (smallest normal)
        raw("c.bf16", DType.BF16, new long[] {3, 1}, (short) 0x3f80, (short) 0xc040, (short) 0x0080),
        Tensor.ofFloats("d.scalar", new long[] {}, new float[] {42}));
  }

  @Test
  void roundTripIsByteExactAndDecodesEveryType() throws IOException {
    Path first = dir.resolve("a.safetensors");
    SafeTensors.write(first, sample(), Map.of("format", "pt"));
    Path second = dir.resolve("b.safetensors");
    try (SafeTensorsFile f = SafeTensorsFile.open(first)) {
      assertThat(f.names()).containsExactly("a.weight", "b.half", "c.bf16", "d.scalar");
      assertThat(f.metadata()).containsEntry("format", "pt");
      assertThat(f.tensor("a.weight").shape()).containsExactly(2, 3);
      assertThat(f.tensor("a.weight").toFloats()).containsExactly(1, -2, 3.5f, 0, 1e-30f, Float.MAX_VALUE);
      assertThat(f.tensor("b.half").toFloats())
          .containsExactly(1f, -2f, 65504f, (float) Math.pow(2, -24), Float.POSITIVE_INFINITY, 0.5f);
      assertThat(f.tensor("c.bf16").toFloats()).containsExactly(1f, -3f, Float.MIN_NORMAL);
      assertThat(f.tensor("d.scalar").toFloats()).containsExactly(42f);
      SafeTensors.write(second, f.names().stream().map(f::tensor).toList(), f.metadata());
    }
    assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    byte[] bytes = Files.readAllBytes(first);
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLength % 8).isZero();
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertThat(header).contains("\"b.half\":{\"dtype\":\"F16\",\"shape\":[6],\"data_offsets\":[24,36]}");
    assertThat(bytes.length).isEqualTo(8 + headerLength + 24 + 12 + 6 + 4);
  }

  @Test
  void halfPrecisionConversionMatchesEveryNormalValue() {
    for (int bits = 0; bits < 0x7c00; bits += 37) {
      int e = bits >>> 10;
      int m = bits & 0x3ff;
      double expected = e == 0 ? m * Math.pow(2, -24) : (1 + m / 1024.0) * Math.pow(2, e - 15);
      assertThat(DType.halfToFloat((short) bits)).isEqualTo((float) expected);
      assertThat(DType.halfToFloat((short) (bits | 0x8000))).isEqualTo((float) -expected);
    }
    assertThat(DType.halfToFloat((short) 0x7e00)).isNaN();
  }

  @Test
  void truncatedFileNamesFileAndTensor() throws IOException {
    Path file = dir.resolve("t.safetensors");
    SafeTensors.write(file, sample(), Map.of());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 2));
    assertThatThrownBy(() -> SafeTensorsFile.open(file)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("tensor d.scalar")
        .hasMessageContaining("truncated");
  }

  @Test
  void corruptHeaderAndUnknownTypesAreRejected() throws IOException {
    Path file = dir.resolve("c.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> SafeTensorsFile.open(file)).hasMessageContaining("not a safetensors file");
    ByteBuffer b = ByteBuffer.allocate(8 + 8).order(ByteOrder.LITTLE_ENDIAN).putLong(8);
    b.put("{\"x\":   ".getBytes(StandardCharsets.US_ASCII));
    Files.write(file, b.array());
    assertThatThrownBy(() -> SafeTensorsFile.open(file)).hasMessageContaining("not valid JSON");
    String json = "{\"w\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}";
    ByteBuffer c = ByteBuffer.allocate(8 + json.length() + 1).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length());
    c.put(json.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
    Files.write(file, c.array());
    assertThatThrownBy(() -> SafeTensorsFile.open(file)).hasMessageContaining("tensor w")
        .hasMessageContaining("unsupported dtype I8");
    assertThatThrownBy(() -> SafeTensorsFile.open(dir.resolve("none.safetensors")))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("does not exist");
  }

  @Test
  void shardedFolderReadsAllShardsAndNamesMissingOnes() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("sharded"));
    SafeTensorsFolder.write(folder, sample(), Map.of("format", "pt"), 20);
    assertThat(folder.resolve(SafeTensorsFolder.INDEX)).exists();
    assertThat(folder.resolve("model-00001-of-00003.safetensors")).exists();
    try (SafeTensorsFolder f = SafeTensorsFolder.open(folder)) {
      assertThat(f.names()).containsExactly("a.weight", "b.half", "c.bf16", "d.scalar");
      assertThat(f.tensor("c.bf16").toFloats()).containsExactly(1f, -3f, Float.MIN_NORMAL);
    }
    Path single = Files.createDirectory(dir.resolve("single"));
    SafeTensorsFolder.write(single, sample(), Map.of(), 1 << 20);
    assertThat(single.resolve(SafeTensorsFolder.SINGLE)).exists();
    assertThat(single.resolve(SafeTensorsFolder.INDEX)).doesNotExist();
    Files.delete(folder.resolve("model-00002-of-00003.safetensors"));
    assertThatThrownBy(() -> SafeTensorsFolder.open(folder)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model-00002-of-00003.safetensors").hasMessageContaining("shard is missing")
        .hasMessageContaining("tensor b.half");
  }
}
