package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpoCommandTest {

  @TempDir Path dir;

  @Test
  void defaultJobTrainsAFreshModelOnSyntheticPairsAndGenerateLoadsTheCheckpoint() throws IOException {
    Path model = dir.resolve("dpo.zip");
    CliRun run = CliRun.of("dpo", "--pairs", "10", "--prompt-chars", "12", "--response-chars", "8",
        "--context", "32", "--d-model", "16", "--layers", "1", "--batch-size", "4", "--steps", "1",
        "--eval-fraction", "0.2", "--output", model.toString(), "--quiet", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("no --policy given");
    JsonNode summary = new ObjectMapper().readTree(run.out());
    assertThat(summary.get("policy").asText()).isEqualTo("fresh");
    assertThat(summary.get("loss").asText()).isEqualTo("sigmoid");
    assertThat(summary.get("steps").asInt()).isEqualTo(1);
    assertThat(summary.get("train_pairs").asInt() + summary.get("eval_pairs").asInt()).isEqualTo(10);
    assertThat(summary.get("final_loss").asDouble()).isBetween(0.0, 2.0);
    assertThat(summary.has("eval_accuracy")).isEqualTo(summary.get("eval_pairs").asInt() > 0);
    TransformerLm saved = Checkpoints.load(model);
    assertThat(saved.provenance().steps()).isEqualTo(1);
    assertThat(saved.provenance().dataName()).startsWith("synthetic-preferences");

    CliRun gen = CliRun.of("generate", "--model", model.toString(), "--prompt", "def ", "--max-new-tokens", "3",
        "--json");
    assertThat(gen.exitCode()).as(gen.err()).isZero();
    assertThat(new ObjectMapper().readTree(gen.out()).get("new_tokens").asInt()).isBetween(1, 3);
  }

  @Test
  void trainsAGivenPolicyOnJsonlPairsAndReusesTheReferenceCache() throws IOException {
    Path policy = dir.resolve("policy");
    Checkpoints.save(TinyModels.perturbed(24, 1, 0.05), policy);
    Path data = dir.resolve("pairs.jsonl");
    Files.writeString(data, String.join("\n",
        "{\"prompt\": \"2+2=\", \"chosen\": \"4\", \"rejected\": \"5\"}",
        "{\"prompt\": \"1+1=\", \"chosen\": \"2\", \"rejected\": \"3\"}",
        "{\"prompt\": \"3+3=\", \"chosen\": \"6\", \"rejected\": \"7\"}") + "\n");
    Path cache = dir.resolve("ref.bin");
    String[] args = {"dpo", "--policy", policy.toString(), "--data", data.toString(), "--loss", "ipo",
        "--beta", "0.5", "--steps", "1", "--eval-fraction", "0", "--reference-cache", cache.toString(),
        "--output", dir.resolve("out").toString(), "--quiet", "--json", "--overwrite"};
    CliRun first = CliRun.of(args);
    assertThat(first.exitCode()).as(first.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(first.out());
    assertThat(summary.get("loss").asText()).isEqualTo("ipo");
    assertThat(summary.get("train_pairs").asInt()).isEqualTo(3);
    assertThat(summary.get("reference_from_cache").asBoolean()).isFalse();
    assertThat(summary.get("final_loss").asDouble()).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
    CliRun second = CliRun.of(args);
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(new ObjectMapper().readTree(second.out()).get("reference_from_cache").asBoolean()).isTrue();
    assertThat(Checkpoints.load(dir.resolve("out")).provenance().dataName()).contains("pairs.jsonl");
  }

  @Test
  void aPrivateRunEvaluatesTheHeldOutPairsOnceAndReportsItsEpsilon() throws IOException {
    Path model = dir.resolve("private");
    CliRun run = CliRun.of("dpo", "--pairs", "20", "--prompt-chars", "12", "--response-chars", "8",
        "--context", "32", "--d-model", "16", "--layers", "1", "--batch-size", "4", "--steps", "2",
        "--eval-fraction", "0.2", "--dp-noise-multiplier", "1.0", "--dp-delta", "1e-3", "--output",
        model.toString(), "--quiet", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(run.out());
    assertThat(summary.get("steps").asInt()).isEqualTo(2);
    assertThat(summary.get("eval_pairs").asInt()).isPositive();
    assertThat(summary.get("eval_loss").asDouble()).isBetween(0.0, 2.0);
    assertThat(summary.get("eval_accuracy").asDouble()).isBetween(0.0, 1.0);
    assertThat(summary.has("train_accuracy")).isFalse();
    assertThat(summary.get("epsilon").asDouble()).isFinite().isPositive();
    assertThat(summary.get("noise_multiplier").asDouble()).isEqualTo(1.0);
    TransformerLm saved = Checkpoints.load(model);
    assertThat(saved.provenance().lastStage().orElseThrow().privacy().orElseThrow().epsilon())
        .isEqualTo(summary.get("epsilon").asDouble());
  }

  @Test
  void badInputExitsWithTwoAndOneLine() throws IOException {
    CliRun beta = CliRun.of("dpo", "--beta", "0", "--quiet");
    assertThat(beta.exitCode()).isEqualTo(2);
    assertThat(beta.err().strip()).startsWith("error: beta must be").doesNotContain("\n");
    CliRun loss = CliRun.of("dpo", "--loss", "nope", "--quiet");
    assertThat(loss.exitCode()).isEqualTo(2);
    assertThat(loss.err()).contains("--loss must be one of").contains("sigmoid");
    CliRun aot = CliRun.of("dpo", "--loss", "aot", "--quiet");
    assertThat(aot.exitCode()).isEqualTo(2);
    assertThat(aot.err()).contains("AOT");
    CliRun missing = CliRun.of("dpo", "--data", dir.resolve("none.jsonl").toString(), "--quiet");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("--data " + dir.resolve("none.jsonl") + ": no such file");
    Path longPrompt = dir.resolve("long.jsonl");
    Files.writeString(longPrompt, "{\"id\": \"p1\", \"prompt\": \"" + "x".repeat(40) + "\", \"chosen\": \"a\", "
        + "\"rejected\": \"b\"}\n");
    CliRun tooLong = CliRun.of("dpo", "--data", longPrompt.toString(), "--context", "16", "--d-model", "16",
        "--eval-fraction", "0", "--quiet", "--output", dir.resolve("o").toString());
    assertThat(tooLong.exitCode()).isEqualTo(2);
    assertThat(tooLong.err()).contains("pair p1").contains("prompt has 40 tokens").contains("context of 16");
    assertThat(CliRun.of("dpo", "--help").out()).contains("--reference-cache").contains("--beta");
  }

  @Test
  void syntheticPairsAreTrueAndShuffledContinuations() {
    List<PreferencePair> pairs = SyntheticPreferences.generate(5, 10, 6, 3).toList();
    assertThat(pairs).hasSize(5);
    for (PreferencePair p : pairs) {
      assertThat(p.prompt()).hasSize(10);
      assertThat(p.chosen()).hasSize(6).isNotEqualTo(p.rejected());
      assertThat(p.rejected().chars().sorted().toArray()).isEqualTo(p.chosen().chars().sorted().toArray());
    }
    assertThat(SyntheticPreferences.generate(5, 10, 6, 3).toList()).isEqualTo(pairs);
  }
}
