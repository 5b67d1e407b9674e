package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.align4j.optimizers.preference.PreferenceLossType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input of every kind ends in exit code 2 and one line that says what is wrong in command-line terms. */
class ErrorMessagesTest {

  private static final String[] TINY = {"--context", "32", "--d-model", "16", "--heads", "2", "--layers", "1",
      "--batch-size", "4", "--quiet"};

  @TempDir Path dir;

  private static CliRun bad(String expected, String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err().strip()).startsWith("error: ").contains(expected).doesNotContain("\n")
        .doesNotContain("error: Error");
    return run;
  }

  @Test
  void invalidUtf8NamesFileAndLine() throws IOException {
    Path rewards = dir.resolve("rewards.csv");
    Files.write(rewards, bytes("chosen_reward,rejected_reward,chosen_length,rejected_length\n1,0,3,4\n",
        new byte[] {'2', ',', (byte) 0xff, ',', '1', ',', '2', '\n'}));
    bad(rewards + ":3: not valid UTF-8", "calibrate", rewards.toString());
    Path prompts = dir.resolve("prompts.jsonl");
    Files.write(prompts, bytes("{\"prompt\": \"ok\"}\n", new byte[] {'{', '"', 'p', '"', ':', '"', (byte) 0xc3,
        '"', '}', '\n'}));
    bad(prompts + ":2: not valid UTF-8", "ppo", "--prompts", prompts.toString(), "--output",
        dir.resolve("o").toString());
  }

  @Test
  void aDirectoryOrAMissingFileIsNamedAsSuch() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("folder.jsonl"));
    String out = dir.resolve("o").toString();
    bad("FILE " + folder + " is a directory; give a file", "calibrate", folder.toString());
    bad("FILE " + dir.resolve("nope.csv") + ": no such file", "calibrate", dir.resolve("nope.csv").toString());
    bad("--data " + folder + " is a directory", "audit", "--model", out, "--data", folder.toString(), "--report",
        dir.resolve("r.html").toString());
    bad("--data " + folder + " is a directory", "train-rm", "--data", folder.toString(), "--output", out);
    bad("--data " + folder + " is a directory", "dpo", "--data", folder.toString(), "--output", out);
    bad("--data " + folder + " is a directory", "train-lm", "--data", folder.toString(), "--output", out);
    bad("--prompts " + folder + " is a directory", "ppo", "--prompts", folder.toString(), "--output", out);
  }

  @Test
  void aCheckpointOfTheOtherKindSaysWhichCommandsTakeIt() {
    Path rm = dir.resolve("rm");
    CliRun trainRm = CliRun.of(concat(new String[] {"train-rm", "--output", rm.toString(), "--steps", "1",
        "--examples", "8"}, TINY));
    assertThat(trainRm.exitCode()).as(trainRm.err()).isZero();
    String rewardModel = "is a reward-model checkpoint (from train-rm), which only ppo --reward takes";
    bad("--model " + rm + " " + rewardModel, "generate", "--model", rm.toString(), "--prompt", "x");
    Path data = dir.resolve("d.jsonl");
    bad("--policy " + rm + " " + rewardModel, "dpo", "--policy", rm.toString(), "--output",
        dir.resolve("o").toString());
    Path lm = dir.resolve("lm");
    CliRun trainLm = CliRun.of(concat(new String[] {"train-lm", "--output", lm.toString(), "--steps", "1",
        "--examples", "8", "--eval-fraction", "0"}, TINY));
    assertThat(trainLm.exitCode()).as(trainLm.err()).isZero();
    CliRun ppo = bad("--reward " + lm + " is a language-model checkpoint", "ppo", "--reward", lm.toString(),
        "--output", dir.resolve("o").toString());
    assertThat(ppo.err()).contains("align4j train-rm --init " + lm).doesNotContain("TransformerRewardModel");
    assertThat(data).doesNotExist();
  }

  @Test
  void privacyErrorsNameOptions() {
    CliRun rate = bad("--sample-rate must be in (0.0, 1.0], got 2.0", "privacy", "epsilon", "--noise-multiplier",
        "1", "--sample-rate", "2", "--steps", "10", "--delta", "1e-5");
    assertThat(rate.err()).doesNotContain("sampleRate");
    CliRun reach = bad("--target-epsilon 1.0E-9 is out of reach", "privacy", "noise", "--target-epsilon", "1e-9",
        "--sample-rate", "0.1", "--steps", "10", "--delta", "1e-5");
    assertThat(reach.err()).contains("--noise-multiplier", "--sample-rate 0.1", "--steps 10")
        .doesNotContain("noiseMultiplier");
    bad("--epochs must be > 0", "privacy", "noise", "--target-epsilon", "1", "--sample-rate", "0.1", "--epochs",
        "-1", "--delta", "1e-5");
    CliRun missing = CliRun.of("privacy", "noise", "--target-epsilon", "1", "--sample-rate", "0.1", "--delta",
        "1e-5");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).startsWith("error: Missing required argument").doesNotContain("Error:");
  }

  @Test
  void divergingTrainingStopsWithTheStepAndSavesNothing() {
    Path out = dir.resolve("diverged");
    CliRun run = bad("diverged at step", concat(new String[] {"train-lm", "--lr", "1e9", "--warmup", "0",
        "--steps", "20", "--examples", "8", "--eval-fraction", "0", "--output", out.toString()}, TINY));
    assertThat(run.err()).contains("try a lower learning rate");
    assertThat(out).doesNotExist();
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void aMissingStudyNamesEveryStudy() {
    CliRun run = CliRun.of("study");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().findFirst().orElseThrow()).isEqualTo(
        "error: missing subcommand: one of rlhf-memorization, dp-alignment, length-bias, overoptimization");
  }

  @Test
  void helpTextsAreComplete() {
    String dpo = CliRun.of("dpo", "--help").out().replaceAll("\\s+", " ");
    for (PreferenceLossType type : PreferenceLossType.values()) {
      assertThat(dpo).containsPattern("\\b" + type.name().toLowerCase(Locale.ROOT) + "\\b");
    }
    assertThat(CliRun.of("ppo", "--help").out().replaceAll("\\s+", " "))
        .contains("--reward=REWARD A reward-model checkpoint (directory or zip, from train-rm)");
    for (String command : new String[] {"train-lm", "train-rm", "dpo", "ppo", "quickstart", "audit",
        "calibrate"}) {
      assertThat(CliRun.of(command, "--help").out()).as(command).contains("--overwrite");
    }
  }

  private static byte[] bytes(String text, byte[] tail) {
    byte[] head = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
