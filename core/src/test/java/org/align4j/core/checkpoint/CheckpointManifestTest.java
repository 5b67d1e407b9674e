package org.align4j.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.align4j.core.model.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing any file of a checkpoint is detected on loading, with the file named. */
class CheckpointManifestTest {

  @TempDir Path dir;

  @Test
  void editingAnyFileOfADirectoryCheckpointIsDetected() throws IOException {
    Map<String, String[]> edits = Map.of(
        "model.json", new String[] {"\"heads\" : 2", "\"heads\" : 1"},
        "provenance.json", new String[] {"\"seed\" : 5", "\"seed\" : 6"},
        "tokenizer.json", new String[] {"byte", "byte "});
    for (Map.Entry<String, String[]> edit : edits.entrySet()) {
      Path path = dir.resolve("ckpt-" + edit.getKey());
      Checkpoints.save(TinyModels.perturbed(16, 5, 0.2), path);
      Path file = path.resolve(edit.getKey());
      String before = Files.readString(file);
      assertThat(before).contains(edit.getValue()[0]);
      Files.writeString(file, before.replace(edit.getValue()[0], edit.getValue()[1]));
      assertThatThrownBy(() -> Checkpoints.load(path)).isInstanceOf(CheckpointException.class)
          .hasMessage("checkpoint " + path + ": " + edit.getKey() + " is corrupt or truncated, or was edited after"
              + " saving (its SHA-256 differs from the one in checksums.json)");
    }
  }

  @Test
  void aMissingManifestOrFileIsNamed() throws IOException {
    Path path = dir.resolve("ckpt");
    Checkpoints.save(TinyModels.perturbed(16, 6, 0.2), path);
    Files.delete(path.resolve("tokenizer.json"));
    assertThatThrownBy(() -> Checkpoints.load(path)).hasMessageContaining("missing tokenizer.json");
    Checkpoints.save(TinyModels.perturbed(16, 6, 0.2), path);
    Files.delete(path.resolve("checksums.json"));
    assertThatThrownBy(() -> Checkpoints.load(path)).hasMessageContaining("missing checksums.json");
  }

  @Test
  void editedAndAddedZipEntriesAreDetected() throws IOException {
    Path zip = dir.resolve("ckpt.zip");
    Checkpoints.save(TinyModels.perturbed(16, 7, 0.2), zip);
    Map<String, byte[]> entries = read(zip);
    entries.put("model.json", new String(entries.get("model.json")).replace("\"heads\" : 2", "\"heads\" : 4")
        .getBytes());
    write(zip, entries);
    assertThatThrownBy(() -> Checkpoints.load(zip)).hasMessageContaining("model.json is corrupt or truncated");
    Checkpoints.save(TinyModels.perturbed(16, 7, 0.2), zip);
    entries = read(zip);
    entries.put("extra.bin", new byte[] {1});
    write(zip, entries);
    assertThatThrownBy(() -> Checkpoints.load(zip)).hasMessageContaining("extra.bin is not listed in checksums.json");
  }

  private static Map<String, byte[]> read(Path zip) throws IOException {
    Map<String, byte[]> out = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.put(e.getName(), in.readAllBytes());
      }
    }
    return out;
  }

  private static void write(Path zip, Map<String, byte[]> entries) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
  }
}
