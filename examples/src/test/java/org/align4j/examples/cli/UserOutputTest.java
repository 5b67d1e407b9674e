package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user reads: notes on standard error, and documentation that lists every command. */
class UserOutputTest {

  @TempDir Path dir;

  @Test
  void trainLmExplainsTruncationInCommandLineTerms() {
    CliRun run = CliRun.of("train-lm", "--output", dir.resolve("m").toString(), "--steps", "1", "--examples", "8",
        "--eval-fraction", "0", "--context", "32", "--d-model", "16", "--heads", "2", "--layers", "1", "--quiet");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).containsPattern("note: \\d+ training examples were longer than --context 32 tokens")
        .contains("raise --context");
  }

  @Test
  void theExamplesReadmeListsEveryCommand() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (String command : Align4jCli.commandLine().getSubcommands().keySet()) {
      if (!command.equals("help")) {
        assertThat(readme).as(command).contains("| `" + command);
      }
    }
    assertThat(readme).contains("--overwrite");
  }
}
