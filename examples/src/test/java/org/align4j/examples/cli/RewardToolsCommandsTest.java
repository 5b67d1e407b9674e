package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.model.TinyModels;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.calibration.Calibration;
import org.align4j.rewardmodel.train.SyntheticPreferences;
import org.junit.jupiter.api.BeforeAll;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * score, calibrate --all-rms, train-rm --synthetic, ppo --calibration, make-pairs and winrate from the command line.
 * A length-biased reward model is trained once (train-rm --synthetic better-and-longer, as in LengthBiasTest),
 * scored on length-balanced pairs and calibrated; the other tests use it.
 */
class RewardToolsCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static Path rm;
  private static Path scores;
  private static Path calibration;
  private static JsonNode calibrated;
  private static Path policy;

  @BeforeAll
  static void trainScoreAndCalibrate() throws IOException {
    rm = dir.resolve("biased.zip");
    CliRun train = CliRun.of("train-rm", "--synthetic", "better-and-longer", "--quality-rate", "0.6",
        "--examples", "256", "--steps", "30", "--lr", "2e-2", "--warmup", "4", "--batch-size", "16",
        "--context", "24", "--d-model", "16", "--heads", "2", "--layers", "1", "--eval-fraction", "0",
        "--seed", "3", "--output", rm.toString(), "--quiet", "--json");
    assertThat(train.exitCode()).as(train.err()).isZero();
    Path pairs = dir.resolve("balanced.jsonl");
    JsonlDatasets.writePreferencePairs(pairs, SyntheticPreferences.lengthBalanced(200, 101));
    scores = dir.resolve("scores.jsonl");
    CliRun score = CliRun.of("score", "--reward-model", rm.toString(), "--pairs", pairs.toString(), "--output",
        scores.toString(), "--json");
    assertThat(score.exitCode()).as(score.err()).isZero();
    calibration = dir.resolve("cal.json");
    CliRun cal = CliRun.of("calibrate", scores.toString(), "--frac", "0.3", "--save", calibration.toString(),
        "--json");
    assertThat(cal.exitCode()).as(cal.err()).isZero();
    calibrated = JSON.readTree(cal.out());
    policy = dir.resolve("policy.zip");
    Checkpoints.save(TinyModels.perturbed(32, 1, 0.02), policy);
  }

  @Test
  void scoreThenCalibrateRemovesTheLengthBiasOfATrainedRewardModel() throws IOException {
    double before = calibrated.at("/before/length_spearman").asDouble();
    double after = calibrated.at("/after/length_spearman").asDouble();
    assertThat(calibrated.get("pairs").asInt()).isEqualTo(200);
    assertThat(before).isGreaterThan(0.5);
    assertThat(Math.abs(after)).isLessThan(0.3);
    assertThat(calibrated.at("/before/accuracy").asDouble()).isLessThan(0.75);
    assertThat(calibrated.at("/after/accuracy").asDouble())
        .isGreaterThan(calibrated.at("/before/accuracy").asDouble() + 0.1);
    Calibration saved = Calibration.load(calibration);
    assertThat(saved.source().rewardModelName()).isEqualTo("biased");
    assertThat(saved.source().rewardModelId()).startsWith("sha256:");
    assertThat(saved.source().lengthUnit()).isEqualTo("tokens");
    assertThat(TransformerRewardModel.load(rm).provenance().dataName()).contains("better-and-longer")
        .contains("qualityRate=0.6");
    JsonNode row = JSON.readTree(Files.readAllLines(scores).get(0));
    assertThat(row.get("rm").asText()).isEqualTo("biased");
    assertThat(row.get("chosen_length").asInt()).isEqualTo(row.get("chosen_tokens").asInt());
    assertThat(row.get("chosen_chars").asInt()).isPositive();
  }

  @Test
  void calibrateAllRmsSummarisesEveryRewardModel() throws IOException {
    Path fresh = dir.resolve("fresh");
    TransformerRewardModel.create(TinyModels.config(24), ByteTokenizer.INSTANCE, 9).save(fresh);
    Path pairs = dir.resolve("few.jsonl");
    JsonlDatasets.writePreferencePairs(pairs, SyntheticPreferences.lengthBalanced(60, 5));
    Path two = dir.resolve("two.jsonl");
    CliRun score = CliRun.of("score", "--reward-model", rm.toString(), "--reward-model", fresh.toString(),
        "--pairs", pairs.toString(), "--output", two.toString(), "--length-unit", "chars", "--json");
    assertThat(score.exitCode()).as(score.err()).isZero();
    assertThat(JSON.readTree(score.out()).get("reward_models")).hasSize(3);
    CliRun all = CliRun.of("calibrate", two.toString(), "--all-rms", "--json");
    assertThat(all.exitCode()).as(all.err()).isZero();
    JsonNode summary = JSON.readTree(all.out());
    JsonNode models = summary.get("reward_models");
    assertThat(models).hasSize(3);
    assertThat(models.get(2).get("rm").asText()).isEqualTo("ensemble-mean");
    double sum = 0;
    for (JsonNode m : models) {
      double gain = 100 * (m.at("/after/accuracy").asDouble() - m.at("/before/accuracy").asDouble());
      assertThat(m.get("gain").asDouble()).isCloseTo(gain, within(1e-9));
      assertThat(m.at("/before/length_spearman").isNumber()).isTrue();
      sum += gain;
    }
    assertThat(summary.get("mean_gain").asDouble()).isCloseTo(sum / 3, within(1e-9));
    CliRun text = CliRun.of("calibrate", two.toString(), "--all-rms");
    assertThat(text.out()).contains("3 reward models").contains("ensemble-mean").contains("mean gain");
    CliRun withSave = CliRun.of("calibrate", two.toString(), "--all-rms", "--save", dir.resolve("x.json").toString());
    assertThat(withSave.exitCode()).isEqualTo(2);
    assertThat(withSave.err()).contains("drop --save");
  }

  @Test
  void allRmsOnTheReferenceFileGivesTheSingleModelFigures() throws IOException {
    Path reference = dir.resolve("reference.csv");
    Files.writeString(reference, org.align4j.core.testing.ReferenceData.text("calibration_rewardbench_shaped.csv"));
    CliRun all = CliRun.of("calibrate", reference.toString(), "--all-rms", "--frac", "1.0", "--json");
    assertThat(all.exitCode()).as(all.err()).isZero();
    JsonNode models = JSON.readTree(all.out()).get("reward_models");
    assertThat(models).hasSize(2);
    assertThat(models.get(0).get("rm").asText()).isEqualTo("syn_linear");
    assertThat(models.get(0).get("gain").asDouble()).isCloseTo(71.469 - 63.7114, within(1e-4));
    assertThat(models.get(0).at("/after/rewardbench/safety").asDouble()).isCloseTo(75.9459, within(6e-5));
  }

  @Test
  void ppoSeesTheCalibratedRewardAndRefusesAnotherModelsCalibration() throws IOException {
    String[] small = {"--context", "32", "--d-model", "16", "--layers", "1", "--iterations", "1", "--batch-size",
        "4", "--response-length", "4", "--ppo-epochs", "1", "--quiet", "--json"};
    CliRun ppo = CliRun.of(concat(new String[] {"ppo", "--reward", rm.toString(), "--calibration",
        calibration.toString(), "--output", dir.resolve("ppo").toString()}, small));
    assertThat(ppo.exitCode()).as(ppo.err()).isZero();
    JsonNode calibratedRun = JSON.readTree(ppo.out());
    assertThat(calibratedRun.get("calibration").asText()).isEqualTo(calibration.toString());
    CliRun raw = CliRun.of(concat(new String[] {"ppo", "--reward", rm.toString(), "--output",
        dir.resolve("ppo-raw").toString()}, small));
    assertThat(raw.exitCode()).as(raw.err()).isZero();
    // Same seed, same first rollout: only the reward it sees differs.
    assertThat(calibratedRun.get("first_mean_score").asDouble())
        .isNotEqualTo(JSON.readTree(raw.out()).get("first_mean_score").asDouble());

    Path other = dir.resolve("other.zip");
    TransformerRewardModel.create(TinyModels.config(24), ByteTokenizer.INSTANCE, 4).save(other);
    CliRun refused = CliRun.of(concat(new String[] {"ppo", "--reward", other.toString(), "--calibration",
        calibration.toString(), "--output", dir.resolve("ppo2").toString()}, small));
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("--calibration " + calibration + " was fitted on reward model biased")
        .contains("not on other");
    assertThat(refused.err().strip()).doesNotContain("\n");
    CliRun builtIn = CliRun.of(concat(new String[] {"ppo", "--reward", "length", "--calibration",
        calibration.toString(), "--output", dir.resolve("ppo3").toString()}, small));
    assertThat(builtIn.exitCode()).isEqualTo(2);
    assertThat(builtIn.err()).contains("--calibration needs --reward to be a reward-model checkpoint");
  }

  @Test
  void makePairsWritesSeededBestWorstPairsThatDpoReads() throws IOException {
    Path pairs = dir.resolve("made.jsonl");
    String[] args = {"make-pairs", "--policy", policy.toString(), "--reward", rm.toString(), "--calibration",
        calibration.toString(), "--samples", "3", "--max-new-tokens", "6", "--examples", "6", "--output",
        pairs.toString(), "--json"};
    CliRun made = CliRun.of(args);
    assertThat(made.exitCode()).as(made.err()).isZero();
    JsonNode summary = JSON.readTree(made.out());
    assertThat(summary.get("pairs").asInt() + summary.get("skipped_prompts").asInt()).isEqualTo(6);
    List<String> lines = Files.readAllLines(pairs);
    assertThat(lines).hasSize(summary.get("pairs").asInt());
    for (String line : lines) {
      JsonNode p = JSON.readTree(line);
      assertThat(p.get("chosen_reward").asDouble()).isGreaterThan(p.get("rejected_reward").asDouble());
      assertThat(p.get("margin").asDouble())
          .isCloseTo(p.get("chosen_reward").asDouble() - p.get("rejected_reward").asDouble(), within(1e-12));
    }
    CliRun again = CliRun.of(concat(args, new String[] {"--overwrite"}));
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(Files.readAllLines(pairs)).isEqualTo(lines);
    assertThat(CliRun.of(args).exitCode()).isEqualTo(2);

    CliRun dpo = CliRun.of("dpo", "--policy", policy.toString(), "--data", pairs.toString(), "--steps", "1",
        "--batch-size", "2", "--eval-fraction", "0", "--output", dir.resolve("dpo").toString(), "--quiet", "--json");
    assertThat(dpo.exitCode()).as(dpo.err()).isZero();

    Path foreign = dir.resolve("mine.jsonl");
    Files.writeString(foreign, "{\"id\": \"1\", \"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"}\n");
    CliRun guarded = CliRun.of("make-pairs", "--policy", policy.toString(), "--reward", "length", "--output",
        foreign.toString(), "--overwrite");
    assertThat(guarded.exitCode()).isEqualTo(2);
    assertThat(guarded.err()).contains("is not pairs written by align4j make-pairs");
  }

  @Test
  void winrateInvariantsFromTheCommandLine() throws IOException {
    CliRun self = CliRun.of("winrate", "--model", policy.toString(), "--baseline", policy.toString(), "--judge",
        "length", "--examples", "8", "--max-new-tokens", "6", "--json");
    assertThat(self.exitCode()).as(self.err()).isZero();
    JsonNode s = JSON.readTree(self.out());
    assertThat(s.get("win_rate").asDouble()).isEqualTo(0.5);
    assertThat(s.get("lc_win_rate").asDouble()).isEqualTo(0.5);
    assertThat(s.get("ties").asInt()).isEqualTo(8);
    assertThat(s.get("mean_length").asDouble()).isEqualTo(s.get("mean_baseline_length").asDouble());

    Path other = dir.resolve("other-policy.zip");
    Checkpoints.save(TinyModels.perturbed(32, 2, 0.5), other);
    for (String judge : new String[] {"pattern:[a-z]", rm.toString()}) {
      CliRun run = CliRun.of("winrate", "--model", other.toString(), "--baseline", policy.toString(), "--judge",
          judge, "--examples", "8", "--max-new-tokens", "6", "--json");
      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode w = JSON.readTree(run.out());
      assertThat(w.get("win_rate").asDouble()).isBetween(0.0, 1.0);
      assertThat(w.get("lc_win_rate").asDouble()).isBetween(0.0, 1.0);
      assertThat(w.get("wins").asInt() + w.get("ties").asInt() + w.get("losses").asInt()).isEqualTo(8);
    }
    CliRun badJudge = CliRun.of("winrate", "--model", policy.toString(), "--baseline", policy.toString(),
        "--judge", "pattern:(", "--examples", "2");
    assertThat(badJudge.exitCode()).isEqualTo(2);
    assertThat(badJudge.err()).contains("--judge pattern:( is not a valid regular expression");

    // A judge whose scores overflow: weights near the float maximum give infinite or NaN rewards.
    Path broken = dir.resolve("broken-judge.zip");
    TransformerRewardModel fresh = TransformerRewardModel.create(TinyModels.config(24), ByteTokenizer.INSTANCE, 1);
    TransformerRewardModel.of(fresh.backbone(), Nd4j.valueArrayOf(new long[] {fresh.headWeight().length(), 1},
        3e38f), fresh.headBias()).save(broken);
    CliRun nan = CliRun.of("winrate", "--model", policy.toString(), "--baseline", policy.toString(), "--judge",
        broken.toString(), "--examples", "2", "--max-new-tokens", "4");
    assertThat(nan.exitCode()).as(nan.err()).isEqualTo(2);
    assertThat(nan.err()).containsPattern("--judge " + java.util.regex.Pattern.quote(broken.toString())
        + " returned (NaN|-?Infinity) for the model's response to prompt 1; scores must be finite");
  }

  @Test
  void badInputNamesTheFileLineOrOption() throws IOException {
    Path noPrompt = dir.resolve("no-prompt.jsonl");
    Files.writeString(noPrompt, "{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"}\n"
        + "{\"chosen\": \"b\", \"rejected\": \"c\"}\n");
    CliRun run = CliRun.of("score", "--reward-model", rm.toString(), "--pairs", noPrompt.toString(), "--output",
        dir.resolve("s.jsonl").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(noPrompt + ":2").contains("prompt");
    Path responses = dir.resolve("responses.jsonl");
    Files.writeString(responses, "{\"prompt\": \"abc:\", \"response\": \"xy!\"}\n{\"response\": \"x\"}\n");
    CliRun noPromptResponse = CliRun.of("score", "--reward-model", rm.toString(), "--responses",
        responses.toString(), "--output", dir.resolve("s.jsonl").toString());
    assertThat(noPromptResponse.exitCode()).isEqualTo(2);
    assertThat(noPromptResponse.err()).contains(responses + ":2: expected a string \"prompt\"");
    assertThat(CliRun.of("score", "--reward-model", rm.toString(), "--output", "x.jsonl").err())
        .contains("give --pairs or --responses");
    assertThat(CliRun.of("score", "--reward-model", rm.toString(), "--pairs", noPrompt.toString(), "--output",
        dir.resolve("s.csv").toString()).err()).contains("must end in .jsonl");
    assertThat(CliRun.of("score", "--reward-model", rm.toString(), "--pairs", noPrompt.toString(),
        "--length-unit", "words", "--output", dir.resolve("s.jsonl").toString()).err())
        .contains("--length-unit must be tokens or chars, got words");
    CliRun synthetic = CliRun.of("train-rm", "--synthetic", "longer", "--output", dir.resolve("r").toString());
    assertThat(synthetic.exitCode()).isEqualTo(2);
    assertThat(synthetic.err()).contains("--synthetic must be balanced or better-and-longer, got longer");
    CliRun rate = CliRun.of("train-rm", "--synthetic", "better-and-longer", "--quality-rate", "1.5", "--output",
        dir.resolve("r").toString());
    assertThat(rate.err()).contains("--quality-rate");

    Files.writeString(responses, "{\"prompt\": \"abc:\", \"response\": \"xy!\"}\n{\"prompt\": \"d:\", \"id\": 7, "
        + "\"response\": \"x\"}\n");
    Path out = dir.resolve("responses-scored.jsonl");
    CliRun ok = CliRun.of("score", "--reward-model", rm.toString(), "--responses", responses.toString(),
        "--output", out.toString(), "--length-unit", "chars", "--json");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    JsonNode second = JSON.readTree(Files.readAllLines(out).get(1));
    assertThat(second.get("id").asText()).isEqualTo("7");
    assertThat(second.get("length").asInt()).isEqualTo(1);
    assertThat(second.get("text_length").asInt()).isEqualTo(3);
    // Scored in a batch of two (padded) against alone: equal up to float32 rounding.
    assertThat(second.get("reward").asDouble())
        .isCloseTo(TransformerRewardModel.load(rm).score("d:", "x"), within(1e-5));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
