package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.testing.ReferenceData;
import org.align4j.examples.Quickstart;
import org.align4j.examples.QuickstartConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No command deletes or replaces what align4j did not write, an existing output of its own is replaced only with
 * --overwrite, and every output path is checked before any work: exit 2, one line, the user's files untouched.
 */
class OutputSafetyTest {

  private static final String[] TINY = {"--context", "32", "--d-model", "16", "--heads", "2", "--layers", "1",
      "--batch-size", "4", "--quiet"};

  @TempDir Path dir;
  private Path userDir;
  private Path userFile;
  private Path data;
  private Path rewards;

  @BeforeEach
  void userFiles() throws IOException {
    userDir = dir.resolve("project");
    Files.createDirectories(userDir.resolve("src"));
    Files.writeString(userDir.resolve("notes.txt"), "my notes\n");
    Files.writeString(userDir.resolve("src/Main.java"), "class Main {}\n");
    userFile = dir.resolve("mydata.jsonl");
    Files.writeString(userFile, "{\"id\": \"mine\", \"text\": \"precious\"}\n");
    data = dir.resolve("corpus.jsonl");
    Files.writeString(data, "{\"id\": \"a\", \"text\": \"def add(a, b): return a + b\"}\n");
    rewards = dir.resolve("rewards.csv");
    Files.writeString(rewards, ReferenceData.text("calibration_rewardbench_shaped.csv"));
  }

  /** Runs the command and asserts exit 2, one line naming {@code expected}, and every user byte unchanged. */
  private void refused(String expected, String... args) throws IOException {
    Map<String, String> before = snapshot();
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.err()).isEqualTo(2);
    assertThat(run.err().strip()).startsWith("error: ").contains(expected).doesNotContain("\n");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void trainingCommandsNeverReplaceAUserDirectoryOrFile() throws IOException {
    for (String command : List.of("train-lm", "train-rm", "dpo", "ppo")) {
      for (Path target : List.of(userDir, userFile)) {
        refused("is not an align4j checkpoint", train(command, target, "--overwrite"));
        refused("is not an align4j checkpoint", train(command, target));
      }
      refused("is not a directory", train(command, userFile.resolve("model")));
    }
  }

  @Test
  void anExistingCheckpointIsReplacedOnlyWithOverwrite() throws IOException {
    Path model = dir.resolve("model");
    CliRun first = CliRun.of(train("train-lm", model, "--data", data.toString()));
    assertThat(first.exitCode()).as(first.err()).isZero();
    byte[] weights = Files.readAllBytes(model.resolve("weights.bin"));
    refused("is an existing checkpoint; pass --overwrite to replace it",
        train("train-lm", model, "--data", data.toString()));
    refused("is an existing checkpoint; pass --overwrite to replace it", train("dpo", model));
    assertThat(Files.readAllBytes(model.resolve("weights.bin"))).isEqualTo(weights);
    CliRun again = CliRun.of(train("train-lm", model, "--data", data.toString(), "--steps", "2", "--overwrite"));
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(Checkpoints.load(model).provenance().steps()).isEqualTo(2);
  }

  @Test
  void quickstartChecksItsOutputDirectoryFirst() throws IOException {
    refused("is a file; give a directory", "quickstart", "--output-dir", userFile.toString());
    Files.createDirectories(userDir.resolve("target-model"));
    Files.writeString(userDir.resolve("target-model/keep.txt"), "mine");
    refused("is not an align4j checkpoint", "quickstart", "--output-dir", userDir.toString(), "--overwrite");
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("audit.html"), "<html>my page</html>");
    refused("is not an align4j audit report (HTML)", "quickstart", "--output-dir", other.toString(),
        "--overwrite");
  }

  @Test
  void auditChecksReportPathsBeforeLoadingOrScanning() throws IOException {
    String missingModel = dir.resolve("no-model").toString();
    refused("is a directory; give a file name", "audit", "--model", missingModel, "--data", data.toString(),
        "--report", userDir.toString());
    refused("is not an align4j audit report (HTML)", "audit", "--model", missingModel, "--data",
        data.toString(), "--report", userFile.toString(), "--overwrite");
    refused("is not an align4j audit report (JSON)", "audit", "--model", missingModel, "--data",
        data.toString(), "--report", dir.resolve("new.html").toString(), "--json", userFile.toString(),
        "--overwrite");
    refused("is a directory; give a file", "audit", "--model", missingModel, "--data", userDir.toString(),
        "--report", dir.resolve("new.html").toString());
  }

  @Test
  void calibrateReplacesOnlyItsOwnOutputsAndOnlyWithOverwrite() throws IOException {
    refused("is not calibrated rewards written by align4j calibrate", "calibrate", rewards.toString(),
        "--output", userFile.toString(), "--overwrite");
    refused("is a directory; give a file name", "calibrate", rewards.toString(), "--save", userDir.toString());
    refused("is not a chart written by align4j calibrate", "calibrate", rewards.toString(), "--chart",
        userFile.toString(), "--overwrite");
    Path csv = dir.resolve("calibrated.csv");
    String[] outputs = {"--output", csv.toString(), "--save", dir.resolve("calibration.json").toString(), "--chart",
        dir.resolve("chart.svg").toString()};
    CliRun first = CliRun.of(concat(new String[] {"calibrate", rewards.toString(), "--rm", "syn_log"}, outputs));
    assertThat(first.exitCode()).as(first.err()).isZero();
    refused("pass --overwrite to replace it", "calibrate", rewards.toString(), "--rm", "syn_log", "--output",
        csv.toString());
    refused("pass --overwrite to replace it", "calibrate", rewards.toString(), "--rm", "syn_log", "--chart",
        dir.resolve("chart.svg").toString());
    CliRun again = CliRun.of(concat(new String[] {"calibrate", rewards.toString(), "--rm", "syn_log", "--method",
        "mean", "--overwrite"}, outputs));
    assertThat(again.exitCode()).as(again.err()).isZero();
  }

  @Test
  void quickstartRecognisesItsOwnOutputAndReplacesItOnlyWithOverwrite() throws IOException {
    QuickstartConfig config = QuickstartConfig.builder().uniqueExamples(16).epochs(1).dModel(16).layers(1)
        .outputDir(dir.resolve("qs")).build();
    Quickstart.run(config, new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(OwnOutput.AUDIT_HTML.isAt(config.htmlReportPath())).isTrue();
    assertThat(OwnOutput.AUDIT_JSON.isAt(config.jsonReportPath())).isTrue();
    assertThat(OwnOutput.AUDIT_HTML.isAt(config.jsonReportPath())).isFalse();
    assertThat(OwnOutput.AUDIT_JSON.isAt(config.htmlReportPath())).isFalse();
    assertThat(CheckpointKind.of(config.targetModelPath())).contains(CheckpointKind.LANGUAGE_MODEL);
    assertThat(CheckpointKind.of(config.controlModelPath())).contains(CheckpointKind.LANGUAGE_MODEL);
    refused("is an existing checkpoint; pass --overwrite", "quickstart", "--output-dir",
        config.outputDir().toString());
    OutputGuard.file("--report", config.htmlReportPath(), OwnOutput.AUDIT_HTML, true);
    OutputGuard.file("--json", config.jsonReportPath(), OwnOutput.AUDIT_JSON, true);
    OutputGuard.checkpoint("--output", config.targetModelPath(), true);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Every file under the temporary directory, by relative path, with its content. */
  private Map<String, String> snapshot() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        String key = dir.relativize(p).toString();
        files.put(key, Files.isRegularFile(p) ? Arrays.toString(Files.readAllBytes(p)) : "<dir>");
      }
    }
    return files;
  }

  /** A one-step run of a training command writing {@code output}, with a tiny model. */
  private static String[] train(String command, Path output, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of(command, "--output", output.toString()));
    args.addAll(List.of(TINY));
    args.addAll(switch (command) {
      case "train-lm" -> List.of("--eval-fraction", "0");
      case "train-rm" -> List.of("--examples", "8");
      case "dpo" -> List.of("--pairs", "8");
      default -> List.of("--iterations", "1");
    });
    if (!command.equals("ppo") && !List.of(extra).contains("--steps")) {
      args.addAll(List.of("--steps", "1"));
    }
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }
}
