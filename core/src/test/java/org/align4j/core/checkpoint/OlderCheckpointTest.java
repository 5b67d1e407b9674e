package org.align4j.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.align4j.core.model.TransformerLm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints saved by align4j before histories and checksum manifests (format version 1) still load. */
class OlderCheckpointTest {

  @TempDir Path dir;

  @Test
  void aVersionOneCheckpointLoadsWithItsProvenanceAsAOneStageHistory() throws IOException {
    for (String name : List.of("v1-dir", "v1.zip")) {
      TransformerLm model = Checkpoints.load(copy(name));
      assertThat(model.config().dModel()).isEqualTo(16);
      assertThat(model.config().layers()).isEqualTo(1);
      assertThat(model.provenance().seed()).isEqualTo(7);
      assertThat(model.provenance().history()).singleElement().satisfies(stage -> {
        assertThat(stage.kind()).isEqualTo("legacy");
        assertThat(stage.dataName()).isEqualTo("tiny-lines");
        assertThat(stage.dataFingerprint())
            .isEqualTo("f4f1d20d0e7175d08e32fd5b99ec15353ddd4fcd0a7cbeb55680b7cfcee311cc");
        assertThat(stage.steps()).isEqualTo(3);
        assertThat(stage.isPrivate()).isFalse();
      });
      float[] logProbs = model.tokenLogProbs(List.of(new int[] {256, 104, 105})).get(0);
      assertThat(logProbs).hasSize(2);
      for (float lp : logProbs) {
        assertThat(lp).isNegative().isGreaterThan(-20f);
      }
    }
  }

  @Test
  void savingAnOlderModelAgainWritesTheCurrentFormatWithTheSameHistory() {
    TransformerLm old = Checkpoints.load(copy("v1-dir"));
    Path again = dir.resolve("again");
    Checkpoints.save(old, again);
    assertThat(Files.exists(again.resolve(CheckpointManifest.NAME))).isTrue();
    assertThat(Checkpoints.load(again).provenance()).isEqualTo(old.provenance());
  }

  @Test
  void onlyTheWeightsChecksumGuardsAVersionOneCheckpoint() throws IOException {
    Path path = copy("v1-dir");
    byte[] weights = Files.readAllBytes(path.resolve("weights.bin"));
    weights[weights.length / 2] ^= 0x11;
    Files.write(path.resolve("weights.bin"), weights);
    assertThatThrownBy(() -> Checkpoints.load(path)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("weights file is corrupt or truncated");
  }

  @Test
  void anUnreadableHistoryIsRefusedWithThePathAndNothingIsWritten() throws IOException {
    Path path = copy("v1-dir");
    String provenance = Files.readString(path.resolve("provenance.json"))
        .replace("\"steps\" : 3", "\"steps\" : 3, \"history\" : [ { \"kind\" : \"sft\" } ]");
    Files.writeString(path.resolve("provenance.json"), provenance);
    long modified = Files.getLastModifiedTime(path.resolve("provenance.json")).toMillis();
    assertThatThrownBy(() -> Checkpoints.load(path)).isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith("checkpoint " + path + ": provenance.json holds an unreadable history")
        .hasMessageContaining("history[0].settings must be an object");
    assertThat(Files.readString(path.resolve("provenance.json"))).isEqualTo(provenance);
    assertThat(Files.getLastModifiedTime(path.resolve("provenance.json")).toMillis()).isEqualTo(modified);
    try (var files = Files.list(path)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("model.json", "provenance.json", "tokenizer.json", "weights.bin");
    }
  }

  private Path copy(String name) {
    try {
      Path target = dir.resolve(name + "-" + System.nanoTime() + (name.endsWith(".zip") ? ".zip" : ""));
      if (name.endsWith(".zip")) {
        try (InputStream in = resource(name)) {
          Files.copy(in, target);
        }
      } else {
        Files.createDirectories(target);
        for (String file : List.of("model.json", "provenance.json", "tokenizer.json", "weights.bin")) {
          try (InputStream in = resource(name + "/" + file)) {
            Files.copy(in, target.resolve(file));
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    return OlderCheckpointTest.class.getResourceAsStream("/checkpoints/" + name);
  }
}
