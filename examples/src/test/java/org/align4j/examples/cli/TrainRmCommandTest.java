package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.model.TinyModels;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.train.SyntheticPreferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainRmCommandTest {

  @TempDir Path dir;

  @Test
  void trainsFromALanguageModelCheckpointOnJsonlPairs() throws IOException {
    Path lm = dir.resolve("lm.zip");
    Checkpoints.save(TinyModels.perturbed(32, 1, 0.02), lm);
    Path pairs = dir.resolve("pairs.jsonl");
    JsonlDatasets.writePreferencePairs(pairs, SyntheticPreferences.lengthBalanced(40, 1));
    Path out = dir.resolve("rm.zip");
    CliRun run = CliRun.of("train-rm", "--init", lm.toString(), "--data", pairs.toString(), "--output",
        out.toString(), "--steps", "2", "--batch-size", "4", "--eval-fraction", "0.25", "--quiet", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(run.out());
    assertThat(summary.get("steps").asInt()).isEqualTo(2);
    assertThat(summary.get("reward_model").asText()).isEqualTo(out.toString());
    assertThat(summary.get("initialised_from").asText()).isEqualTo(lm.toString());
    assertThat(summary.get("eval_pairs").asInt()).isPositive();
    assertThat(summary.get("eval_accuracy").asDouble()).isBetween(0.0, 1.0);
    TransformerRewardModel model = TransformerRewardModel.load(out);
    assertThat(model.provenance().steps()).isEqualTo(2);
    assertThat(model.contextLength()).isEqualTo(32);
    assertThat(Double.isFinite(model.score("abc:", "xyz!"))).isTrue();
  }

  @Test
  void trainsAFreshModelOnSyntheticPairsByDefault() throws IOException {
    Path out = dir.resolve("rm");
    CliRun run = CliRun.of("train-rm", "--output", out.toString(), "--examples", "16", "--steps", "1",
        "--context", "24", "--d-model", "16", "--eval-fraction", "0", "--quiet", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(run.out());
    assertThat(summary.get("initialised_from").asText()).isEqualTo("fresh");
    assertThat(summary.get("eval_accuracy").isNull()).isTrue();
    assertThat(TransformerRewardModel.load(out).provenance().dataName()).contains("synthetic");
  }

  @Test
  void badInputExitsWithTwoAndOneLine() throws IOException {
    CliRun missing = CliRun.of("train-rm", "--init", dir.resolve("nope").toString(), "--quiet");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err().strip()).contains("does not exist").doesNotContain("\n");
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n{\"prompt\": \"p\"}\n");
    CliRun malformed = CliRun.of("train-rm", "--data", bad.toString(), "--output", dir.resolve("o").toString(),
        "--context", "24", "--d-model", "16", "--steps", "1", "--quiet");
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err()).contains("bad.jsonl:2");
    CliRun lr = CliRun.of("train-rm", "--lr", "-1", "--quiet");
    assertThat(lr.exitCode()).isEqualTo(2);
    assertThat(lr.err()).contains("learningRate must be > 0");
    assertThat(CliRun.of("train-rm", "--help").out()).contains("--init", "--center-coef");
  }
}
