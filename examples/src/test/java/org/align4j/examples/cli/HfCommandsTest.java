package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.hf.HfCheckpoints;
import org.align4j.core.hf.HfFixtures;
import org.align4j.core.model.TransformerLm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import}, {@code export} and Hugging Face folders as {@code --model}, on the tiny test checkpoints. */
class HfCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void importThenAuditAndHfFolderAsModel() throws IOException {
    Path ckpt = dir.resolve("gpt2.zip");
    CliRun imported = CliRun.of("import", "--from", HfFixtures.folder("gpt2").toString(), "--output",
        ckpt.toString(), "--json");
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    JsonNode summary = JSON.readTree(imported.out());
    assertThat(summary.get("architecture").asText()).isEqualTo("GPT2LMHeadModel");
    assertThat(summary.get("vocab_size").asInt()).isEqualTo(512);
    Path data = dir.resolve("data.jsonl");
    Files.writeString(data, "{\"id\": \"a\", \"text\": \"the quick brown fox jumps over the lazy dog again and "
        + "again, and the dog sleeps on\"}\n{\"id\": \"b\", \"text\": \"int main() { return 0; } // a short program "
        + "that does nothing at all, twice\"}\n");
    for (String model : new String[] {ckpt.toString(), HfFixtures.folder("llama").toString()}) {
      CliRun audit = CliRun.of("audit", "--model", model, "--data", data.toString(), "--prefix-tokens", "8",
          "--suffix-tokens", "8", "--report", dir.resolve("report.html").toString(), "--overwrite", "--quiet");
      assertThat(audit.exitCode()).as(audit.err()).isZero();
      assertThat(dir.resolve("report.html")).exists();
    }
    CliRun gen = CliRun.of("generate", "--model", HfFixtures.folder("qwen2").toString(), "--prompt", "the",
        "--max-new-tokens", "4", "--json");
    assertThat(gen.exitCode()).as(gen.err()).isZero();
  }

  @Test
  void importThenDpoThenExport() throws IOException {
    Path ckpt = dir.resolve("gpt2");
    assertThat(CliRun.of("import", "--from", HfFixtures.folder("gpt2").toString(), "--output", ckpt.toString())
        .exitCode()).isZero();
    Path pairs = dir.resolve("pairs.jsonl");
    Files.writeString(pairs, String.join("\n",
        "{\"prompt\": \"2+2=\", \"chosen\": \" 4\", \"rejected\": \" 5\"}",
        "{\"prompt\": \"1+1=\", \"chosen\": \" 2\", \"rejected\": \" 3\"}",
        "{\"prompt\": \"3+3=\", \"chosen\": \" 6\", \"rejected\": \" 7\"}") + "\n");
    Path aligned = dir.resolve("aligned");
    CliRun dpo = CliRun.of("dpo", "--policy", ckpt.toString(), "--data", pairs.toString(), "--steps", "2",
        "--batch-size", "3", "--lr", "1e-2", "--eval-fraction", "0", "--output", aligned.toString(), "--quiet");
    assertThat(dpo.exitCode()).as(dpo.err()).isZero();
    Path exported = dir.resolve("hf-out");
    CliRun export = CliRun.of("export", "--model", aligned.toString(), "--to", exported.toString(), "--json");
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(JSON.readTree(export.out()).get("steps").asInt()).isEqualTo(2);
    TransformerLm back = HfCheckpoints.load(exported);
    TransformerLm original = HfCheckpoints.load(HfFixtures.folder("gpt2"));
    TransformerLm trained = Checkpoints.load(aligned);
    int[] seq = {10, 20, 30, 40};
    assertThat(back.logits(seq)).isDeepEqualTo(trained.logits(seq));
    assertThat(back.logits(seq)[3][0]).isNotEqualTo(original.logits(seq)[3][0]);
    assertThat(JSON.readTree(Files.readString(exported.resolve("config.json"))).get("model_type").asText())
        .isEqualTo("gpt2");
  }

  @Test
  void llamaFolderTrainsWithDpoAndExportsAsLlama() throws IOException {
    Path pairs = dir.resolve("pairs.jsonl");
    Files.writeString(pairs, "{\"prompt\": \"the quick\", \"chosen\": \" brown fox\", \"rejected\": \" lazy dog\"}\n"
        + "{\"prompt\": \"int main\", \"chosen\": \"() {}\", \"rejected\": \"(void)\"}\n");
    Path aligned = dir.resolve("aligned.zip");
    CliRun dpo = CliRun.of("dpo", "--policy", HfFixtures.folder("llama").toString(), "--data", pairs.toString(),
        "--steps", "1", "--batch-size", "2", "--eval-fraction", "0", "--output", aligned.toString(), "--quiet");
    assertThat(dpo.exitCode()).as(dpo.err()).isZero();
    Path exported = dir.resolve("llama-out");
    assertThat(CliRun.of("export", "--model", aligned.toString(), "--to", exported.toString()).exitCode()).isZero();
    assertThat(JSON.readTree(Files.readString(exported.resolve("config.json"))).get("architectures").get(0)
        .asText()).isEqualTo("LlamaForCausalLM");
    assertThat(HfCheckpoints.load(exported).provenance().configuration()).containsKey("importedFrom");
  }

  @Test
  void badFoldersExitTwoWithOneLineAndWriteNothing() throws IOException {
    Path bad = dir.resolve("bert");
    Files.createDirectories(bad);
    try (Stream<Path> files = Files.list(HfFixtures.folder("gpt2"))) {
      for (Path f : files.toList()) {
        Files.copy(f, bad.resolve(f.getFileName()));
      }
    }
    ObjectNode config = (ObjectNode) JSON.readTree(Files.readString(bad.resolve("config.json")));
    config.putArray("architectures").add("BertForMaskedLM");
    Files.writeString(bad.resolve("config.json"), config.toString());
    Path out = dir.resolve("out.zip");
    CliRun run = CliRun.of("import", "--from", bad.toString(), "--output", out.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains("BertForMaskedLM").contains("supported: GPT2LMHeadModel");
    assertThat(out).doesNotExist();

    Files.writeString(bad.resolve("config.json"), config.put("vocab_size", 300).putArray("architectures")
        .add("GPT2LMHeadModel").toString());
    ObjectNode fixed = (ObjectNode) JSON.readTree(Files.readString(HfFixtures.folder("gpt2").resolve("config.json")));
    Files.writeString(bad.resolve("config.json"), fixed.put("vocab_size", 300).toString());
    CliRun vocab = CliRun.of("import", "--from", bad.toString(), "--output", out.toString());
    assertThat(vocab.exitCode()).isEqualTo(2);
    assertThat(vocab.err()).contains("ids up to 511").contains("300 rows");
    assertThat(out).doesNotExist();

    CliRun export = CliRun.of("export", "--model", dir.resolve("missing").toString(), "--to",
        dir.resolve("e").toString());
    assertThat(export.exitCode()).isEqualTo(2);
    assertThat(dir.resolve("e")).doesNotExist();
  }

  @Test
  void importAndExportNeverReplaceWhatTheyDidNotWrite() throws IOException {
    Path gpt2 = HfFixtures.folder("gpt2");
    Path notes = dir.resolve("notes.txt");
    Files.writeString(notes, "mine");
    CliRun onFile = CliRun.of("import", "--from", gpt2.toString(), "--output", notes.toString(), "--overwrite");
    assertThat(onFile.exitCode()).isEqualTo(2);
    assertThat(onFile.err()).contains("--output").contains("not an align4j checkpoint");
    assertThat(notes).hasContent("mine");

    Path ckpt = dir.resolve("gpt2.zip");
    assertThat(CliRun.of("import", "--from", gpt2.toString(), "--output", ckpt.toString()).exitCode()).isZero();
    CliRun again = CliRun.of("import", "--from", gpt2.toString(), "--output", ckpt.toString());
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("--overwrite");
    assertThat(CliRun.of("import", "--from", gpt2.toString(), "--output", ckpt.toString(), "--overwrite")
        .exitCode()).isZero();

    Path project = dir.resolve("project");
    Files.createDirectories(project.resolve("src"));
    Files.writeString(project.resolve("config.json"), "{}");
    Files.writeString(project.resolve("src/Main.java"), "class Main {}");
    CliRun intoProject = CliRun.of("export", "--model", ckpt.toString(), "--to", project.toString(), "--overwrite");
    assertThat(intoProject.exitCode()).isEqualTo(2);
    assertThat(intoProject.err().strip().lines()).hasSize(1);
    assertThat(intoProject.err()).contains("not a Hugging Face model folder").contains("src");
    assertThat(project.resolve("src/Main.java")).hasContent("class Main {}");

    Path exported = dir.resolve("hf-out");
    assertThat(CliRun.of("export", "--model", ckpt.toString(), "--to", exported.toString()).exitCode()).isZero();
    CliRun twice = CliRun.of("export", "--model", ckpt.toString(), "--to", exported.toString());
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).contains("--overwrite");
    CliRun replaced = CliRun.of("export", "--model", ckpt.toString(), "--to", exported.toString(), "--overwrite");
    assertThat(replaced.exitCode()).as(replaced.err()).isZero();
    assertThat(exported.resolve("config.json")).exists();
  }
}
