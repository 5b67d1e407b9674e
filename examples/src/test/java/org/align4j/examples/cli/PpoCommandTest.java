package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PpoCommandTest {

  @TempDir Path dir;

  private static final String[] SMALL = {"--context", "32", "--d-model", "16", "--layers", "1", "--iterations",
      "2", "--batch-size", "4", "--response-length", "4", "--ppo-epochs", "1", "--quiet", "--json"};

  @Test
  void trainsOnTheEmbeddedPromptsAndSavesACheckpointThatGenerateLoads() throws IOException {
    Path out = dir.resolve("ppo.zip");
    CliRun run = CliRun.of(concat(new String[] {"ppo", "--output", out.toString(), "--reward", "pattern:[a-z]",
        "--kl-target", "1", "--kl-estimator", "k3"}, SMALL));
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(run.out());
    assertThat(summary.get("iterations").asInt()).isEqualTo(2);
    assertThat(summary.get("steps").asInt()).isEqualTo(2);
    assertThat(summary.get("estimator").asText()).isEqualTo("gae");
    assertThat(summary.get("prompts").asText()).contains("synthetic");
    assertThat(summary.get("first_mean_score").asDouble()).isBetween(0.0, 1.0);
    TransformerLm saved = Checkpoints.load(out);
    assertThat(saved.provenance().steps()).isEqualTo(2);
    CliRun gen = CliRun.of("generate", "--model", out.toString(), "--prompt", "def ", "--max-new-tokens", "3",
        "--json");
    assertThat(gen.exitCode()).as(gen.err()).isZero();
    assertThat(new ObjectMapper().readTree(gen.out()).get("new_tokens").asInt()).isBetween(1, 3);
  }

  @Test
  void usesATrainedRewardModelCheckpointAsTheReward() throws IOException {
    Path rm = dir.resolve("rm.zip");
    TransformerRewardModel.create(TinyModels.config(32), ByteTokenizer.INSTANCE, 5).save(rm);
    Path out = dir.resolve("ppo-rm");
    CliRun run = CliRun.of(concat(new String[] {"ppo", "--output", out.toString(), "--reward", rm.toString()},
        SMALL));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Checkpoints.load(out).provenance().steps()).isEqualTo(2);
    Path notAModel = Files.writeString(dir.resolve("junk.txt"), "not a checkpoint");
    assertBad(CliRun.of("ppo", "--reward", notAModel.toString(), "--output", out.toString()), "checkpoint");
  }

  @Test
  void continuesAPolicyCheckpointOnJsonlPromptsWithGroupSampling() throws IOException {
    Path first = dir.resolve("first");
    assertThat(CliRun.of(concat(new String[] {"ppo", "--output", first.toString()}, SMALL)).exitCode()).isZero();
    Path prompts = dir.resolve("prompts.jsonl");
    Files.writeString(prompts, "{\"prompt\": \"def \"}\n\n{\"text\": \"x = \"}\n");
    Path second = dir.resolve("second");
    CliRun run = CliRun.of(concat(new String[] {"ppo", "--policy", first.toString(), "--prompts",
        prompts.toString(), "--output", second.toString(), "--estimator", "rloo", "--samples", "2",
        "--reward", "length"}, SMALL));
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(run.out());
    assertThat(summary.get("prompts").asText()).isEqualTo("prompts.jsonl");
    assertThat(summary.get("estimator").asText()).isEqualTo("rloo");
    assertThat(Checkpoints.load(second).provenance().steps()).isEqualTo(4);
  }

  @Test
  void badInputExitsWithTwoAndOneLine() throws IOException {
    Path out = dir.resolve("o");
    assertBad(CliRun.of("ppo", "--reward", "smiles", "--output", out.toString()), "--reward must be");
    assertBad(CliRun.of("ppo", "--reward", "pattern:[a-", "--output", out.toString()),
        "not a valid regular expression");
    assertBad(CliRun.of("ppo", "--estimator", "dpo", "--output", out.toString()), "--estimator");
    assertBad(CliRun.of("ppo", "--prompts", dir.resolve("none.jsonl").toString(), "--output", out.toString()),
        "--prompts " + dir.resolve("none.jsonl") + ": no such file");
    Path broken = dir.resolve("broken.jsonl");
    Files.writeString(broken, "{\"prompt\": \"ok\"}\n{\"id\": 3}\n");
    assertBad(CliRun.of("ppo", "--prompts", broken.toString(), "--output", out.toString()), "broken.jsonl:2");
    Path longPrompt = dir.resolve("long.jsonl");
    Files.writeString(longPrompt, "{\"prompt\": \"" + "a".repeat(40) + "\"}\n");
    assertBad(CliRun.of(concat(new String[] {"ppo", "--prompts", longPrompt.toString(), "--output",
        out.toString()}, SMALL)), "context of 32");
    assertBad(CliRun.of("ppo", "--estimator", "grpo", "--samples", "1", "--output", out.toString()),
        "samplesPerPrompt");
    assertBad(CliRun.of("ppo", "--estimator", "grpo", "--grpo-std-epsilon", "0", "--output", out.toString()),
        "grpoStdEpsilon must be > 0");
    assertThat(CliRun.of("ppo", "--help").out()).contains("--reward").contains("--kl-target")
        .contains("--grpo-std-epsilon");
  }

  private static void assertBad(CliRun run, String message) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err().strip()).contains(message).doesNotContain("\n");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
