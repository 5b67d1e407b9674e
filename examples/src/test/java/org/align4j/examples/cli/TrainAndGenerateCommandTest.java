package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.align4j.core.checkpoint.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainAndGenerateCommandTest {

  @TempDir Path dir;

  private static final String[] TINY = {"--context", "32", "--d-model", "16", "--heads", "2", "--layers", "1",
      "--batch-size", "4", "--quiet"};

  @Test
  void trainsOnJsonlSavesACheckpointThatGenerateLoads() throws IOException {
    Path data = dir.resolve("corpus.jsonl");
    Files.writeString(data, "{\"id\": \"a\", \"text\": \"def add(a, b): return a + b\"}\n"
        + "{\"id\": \"b\", \"text\": \"print('hello')\"}\n");
    Path model = dir.resolve("model.zip");
    String[] args = concat(new String[] {"train-lm", "--data", data.toString(), "--output", model.toString(),
        "--steps", "3", "--eval-fraction", "0", "--json"}, TINY);
    CliRun train = CliRun.of(args);
    assertThat(train.exitCode()).as(train.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(train.out());
    assertThat(summary.get("steps").asInt()).isEqualTo(3);
    assertThat(summary.get("checkpoint").asText()).isEqualTo(model.toString());
    assertThat(Checkpoints.load(model).provenance().steps()).isEqualTo(3);

    CliRun gen = CliRun.of("generate", "--model", model.toString(), "--prompt", "def ", "--max-new-tokens", "5",
        "--json");
    assertThat(gen.exitCode()).as(gen.err()).isZero();
    JsonNode out = new ObjectMapper().readTree(gen.out());
    assertThat(out.get("prompt").asText()).isEqualTo("def ");
    assertThat(out.get("new_tokens").asInt()).isBetween(1, 5);
  }

  @Test
  void trainsOnTheEmbeddedCorpusByDefault() throws IOException {
    Path model = dir.resolve("m");
    CliRun train = CliRun.of(concat(new String[] {"train-lm", "--output", model.toString(), "--steps", "1",
        "--examples", "12", "--json"}, TINY));
    assertThat(train.exitCode()).as(train.err()).isZero();
    assertThat(Checkpoints.load(model).provenance().dataName()).contains("synthetic");
  }

  @Test
  void badInputExitsWithTwoAndOneLine() throws IOException {
    CliRun missing = CliRun.of("generate", "--model", dir.resolve("nope").toString(), "--prompt", "x");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err().strip()).startsWith("error: checkpoint").contains("does not exist").doesNotContain("\n");
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"id\": \"a\", \"text\": \"ok\"}\n{broken\n");
    CliRun malformed = CliRun.of(concat(new String[] {"train-lm", "--data", bad.toString(), "--output",
        dir.resolve("o").toString(), "--steps", "1"}, TINY));
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err()).contains("bad.jsonl:2");
    CliRun heads = CliRun.of(concat(new String[] {"train-lm", "--output", dir.resolve("o").toString(),
        "--steps", "1"}, new String[] {"--d-model", "10", "--heads", "3"}));
    assertThat(heads.exitCode()).isEqualTo(2);
    assertThat(heads.err()).contains("dModel must be divisible by heads");
    assertThat(CliRun.of("no-such-command").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("train-lm", "--help").out()).contains("--tokenizer");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
