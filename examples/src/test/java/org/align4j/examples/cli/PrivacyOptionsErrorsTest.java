package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contradictory or out-of-range privacy options end every training command with exit code 2 and one line naming
 * the option and its value, before any training starts and without writing the output.
 */
class PrivacyOptionsErrorsTest {

  private static final List<String> COMMANDS = List.of("train-lm", "train-rm", "dpo", "ppo");

  @TempDir Path dir;

  private void refused(String command, String expected, String... options) {
    Path output = dir.resolve(command + "-out");
    List<String> args = new ArrayList<>(List.of(command, "--output", output.toString(), "--quiet"));
    args.addAll(List.of(options));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(command + ": " + run.err()).isEqualTo(2);
    assertThat(run.err().strip()).as(command).isEqualTo("error: " + expected);
    assertThat(run.out()).isEmpty();
    assertThat(output).doesNotExist();
  }

  @Test
  void targetEpsilonAndNoiseMultiplierExcludeEachOther() {
    for (String c : COMMANDS) {
      refused(c, "--dp-target-epsilon 3.0 and --dp-noise-multiplier 1.0 exclude each other; give one of them",
          "--dp-target-epsilon", "3", "--dp-noise-multiplier", "1");
    }
  }

  @Test
  void deltaMustLieStrictlyBetweenZeroAndOne() {
    for (String c : COMMANDS) {
      refused(c, "--dp-delta must be in (0.0, 1.0), got 1.5", "--dp-noise-multiplier", "1", "--dp-delta", "1.5");
      refused(c, "--dp-delta must be in (0.0, 1.0), got 0.0", "--dp-target-epsilon", "1", "--dp-delta", "0");
    }
  }

  @Test
  void clipNormMustBePositive() {
    for (String c : COMMANDS) {
      refused(c, "--dp-clip-norm must be > 0, got 0.0", "--dp-noise-multiplier", "1", "--dp-clip-norm", "0");
      refused(c, "--dp-clip-norm must be > 0, got -1.0", "--dp-noise-multiplier", "1", "--dp-clip-norm", "-1");
    }
  }

  @Test
  void subOptionsNeedATargetEpsilonOrANoiseMultiplier() {
    for (String c : COMMANDS) {
      String needs = " needs --dp-target-epsilon or --dp-noise-multiplier (without either the command trains "
          + "without privacy)";
      refused(c, "--dp-delta 1.0E-5" + needs, "--dp-delta", "1e-5");
      refused(c, "--dp-clip-norm 2.0" + needs, "--dp-clip-norm", "2");
      refused(c, "--dp-expected-batch-size 8.0" + needs, "--dp-expected-batch-size", "8");
      refused(c, "--dp-accountant pld" + needs, "--dp-accountant", "pld");
    }
  }

  @Test
  void accountantIsRdpOrPld() {
    for (String c : COMMANDS) {
      refused(c, "--dp-accountant must be rdp or pld, got moments", "--dp-noise-multiplier", "1",
          "--dp-accountant", "moments");
    }
  }

  @Test
  void expectedBatchSizeLargerThanTheDataIsRefused() throws IOException {
    Path pairs = dir.resolve("pairs.jsonl");
    Path prompts = dir.resolve("prompts.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      lines.add("{\"prompt\": \"q" + i + "\", \"chosen\": \"ab\", \"rejected\": \"ba\"}");
    }
    Files.write(pairs, lines);
    // read as prompts by ppo and as a corpus (id and text) by train-lm
    Files.write(prompts, List.of("{\"id\": \"1\", \"text\": \"a\"}", "{\"id\": \"2\", \"text\": \"b\"}",
        "{\"id\": \"3\", \"text\": \"c\"}"));
    String[] tiny = {"--context", "16", "--d-model", "8", "--heads", "1", "--layers", "1"};
    refused("train-rm", "--dp-expected-batch-size 7.0 is larger than the 6 training pairs; give a smaller "
        + "--dp-expected-batch-size", concat(new String[] {"--data", pairs.toString(), "--eval-fraction", "0",
        "--dp-noise-multiplier", "1", "--dp-expected-batch-size", "7"}, tiny));
    refused("dpo", "--batch-size 8 (the default --dp-expected-batch-size) is larger than the 6 training pairs; give "
        + "a smaller --dp-expected-batch-size", concat(new String[] {"--data", pairs.toString(), "--eval-fraction",
        "0", "--dp-noise-multiplier", "1"}, tiny));
    refused("ppo", "--dp-expected-batch-size 4.0 is larger than the 3 training prompts; give a smaller "
        + "--dp-expected-batch-size", concat(new String[] {"--prompts", prompts.toString(), "--dp-target-epsilon",
        "1", "--dp-expected-batch-size", "4"}, tiny));
    refused("train-lm", "--batch-size 16 (the default --dp-expected-batch-size) is larger than the 3 training "
        + "examples; give a smaller --dp-expected-batch-size", concat(new String[] {"--data", prompts.toString(),
        "--eval-fraction", "0", "--dp-noise-multiplier", "1"}, tiny));
  }

  @Test
  void settingsPrivateTrainingDoesNotTakeAreNamed() {
    refused("train-lm", "--tokenizer bpe with --dp-* options: a BPE vocabulary is learned from the training data "
        + "without privacy; use --tokenizer byte", "--tokenizer", "bpe", "--dp-noise-multiplier", "1");
    refused("train-rm", "--center-coef 0.01 is not offered with --dp-* options (private reward training has no "
        + "centring term)", "--center-coef", "0.01", "--dp-noise-multiplier", "1");
    refused("dpo", "--reference-cache " + dir.resolve("c") + " is not used with --dp-* options (private DPO computes "
        + "the reference log-probabilities once in memory)", "--reference-cache", dir.resolve("c").toString(),
        "--dp-noise-multiplier", "1");
    refused("ppo", "--kl-target 2.0 is not offered with --dp-* options (an adaptive coefficient follows the sampled "
        + "prompts' KL without noise); use --kl-coef", "--kl-target", "2", "--dp-noise-multiplier", "1");
    refused("ppo", "--mini-batches must be 1 with --dp-* options (each sampled batch is one DP-SGD update), got 2",
        "--mini-batches", "2", "--dp-noise-multiplier", "1");
    refused("ppo", "--warmup 5 applies to private ppo only (with --dp-* options); non-private PPO keeps a constant "
        + "learning rate", "--warmup", "5");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
