package org.align4j.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.BpeTrainer;
import org.align4j.core.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

  @TempDir Path dir;

  private static final List<int[]> SEQS = List.of(new int[] {256, 104, 105, 33}, new int[] {256, 120, 121});

  @Test
  void directoryAndZipRoundTripsGiveIdenticalLogProbs() {
    TransformerLm model = TinyModels.perturbed(16, 21, 0.2);
    for (Path path : List.of(dir.resolve("ckpt"), dir.resolve("ckpt.zip"))) {
      Checkpoints.save(model, path);
      TransformerLm loaded = Checkpoints.load(path);
      assertThat(loaded.config()).isEqualTo(model.config());
      assertThat(loaded.provenance()).isEqualTo(model.provenance());
      assertThat(loaded.tokenizer().toJson()).isEqualTo(model.tokenizer().toJson());
      List<float[]> want = model.tokenLogProbs(SEQS);
      List<float[]> got = loaded.tokenLogProbs(SEQS);
      for (int i = 0; i < SEQS.size(); i++) {
        assertThat(got.get(i)).containsExactly(want.get(i));
      }
    }
  }

  @Test
  void savingOverAnOldCheckpointReplacesIt() {
    Path path = dir.resolve("ckpt");
    Checkpoints.save(TinyModels.perturbed(16, 1, 0.2), path);
    TransformerLm second = TinyModels.perturbed(16, 2, 0.2);
    Checkpoints.save(second, path);
    assertThat(Checkpoints.load(path).tokenLogProbs(SEQS).get(0)).containsExactly(second.tokenLogProbs(SEQS).get(0));
  }

  @Test
  void corruptTruncatedAndForeignFilesGiveClearErrors() throws IOException {
    Path path = dir.resolve("ckpt");
    Checkpoints.save(TinyModels.perturbed(16, 3, 0.2), path);
    Path weights = path.resolve("weights.bin");
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(weights, bytes);
    assertThatThrownBy(() -> Checkpoints.load(path)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("corrupt or truncated");
    Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 3));
    assertThatThrownBy(() -> Checkpoints.load(path)).hasMessageContaining("corrupt or truncated");
    Files.writeString(path.resolve("model.json"), "{\"format\": \"something-else\"}");
    assertThatThrownBy(() -> Checkpoints.load(path)).hasMessageContaining("not an align4j checkpoint");
    Files.writeString(path.resolve("model.json"), "{not json");
    assertThatThrownBy(() -> Checkpoints.load(path)).hasMessageContaining("model.json is not valid JSON");
    Path zip = dir.resolve("junk.zip");
    Files.write(zip, "PK this is not a zip".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Checkpoints.load(zip)).isInstanceOf(CheckpointException.class);
    assertThatThrownBy(() -> Checkpoints.load(dir.resolve("missing")))
        .hasMessageContaining("missing: does not exist");
  }

  @Test
  void aTokenizerOfAnotherVocabularyIsRejected() throws IOException {
    Path path = dir.resolve("ckpt");
    Checkpoints.save(TinyModels.perturbed(16, 4, 0.2), path);
    Tokenizer bpe = BpeTrainer.builder().vocabSize(300).build().train(List.of("aaaa bbbb aaaa bbbb cccc"));
    Files.writeString(path.resolve("tokenizer.json"), bpe.toJson());
    assertThatThrownBy(() -> Checkpoints.load(path)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tokenizer.json is corrupt or truncated, or was edited");
    // without the checksum manifest (as in a version-1 checkpoint) the parts' consistency check still catches it
    Files.delete(path.resolve(CheckpointManifest.NAME));
    Files.writeString(path.resolve("model.json"),
        Files.readString(path.resolve("model.json")).replace("\"version\" : 2", "\"version\" : 1"));
    assertThatThrownBy(() -> Checkpoints.load(path)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tokenizer has");
  }
}
