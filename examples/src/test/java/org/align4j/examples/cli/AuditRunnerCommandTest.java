package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TinyModels;
import org.align4j.memorization.AuditReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit --runner direct}: a Beam pipeline from the command line, and its bad input. */
class AuditRunnerCommandTest {

  @TempDir static Path dir;
  private static Path model;

  @BeforeAll
  static void setUp() {
    model = dir.resolve("model.zip");
    Checkpoints.save(TinyModels.perturbed(32, 3, 0.02), model);
    List<TextExample> examples = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      examples.add(new TextExample("x" + i, "line " + i + " of a corpus, long enough to audit: " + i * 7));
    }
    JsonlDatasets.writeTextExamples(dir.resolve("a.jsonl"), examples.subList(0, 12));
    JsonlDatasets.writeTextExamples(dir.resolve("b.jsonl"), examples.subList(12, 24));
  }

  private static CliRun audit(String data, String... more) {
    List<String> args = new ArrayList<>(List.of("audit", "--runner", "direct", "--model", model.toString(),
        "--data", data, "--prefix-tokens", "8", "--suffix-tokens", "16", "--quiet"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void runsOnTheDirectRunnerWithAGlob() {
    Path report = dir.resolve("out/report.html");
    CliRun run = audit(dir.resolve("*.jsonl").toString(), "--report", report.toString(), "--json",
        dir.resolve("out/report.json").toString(), "--pipeline-option", "targetParallelism=2");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("scanned").contains("24").contains("malformed_lines");
    assertThat(report).exists();
    AuditReport written = AuditReport.readJson(dir.resolve("out/report.json"));
    assertThat(written.summary().scanned()).isEqualTo(24);
    assertThat(dir.resolve("out/report-beam")).isDirectoryContaining("glob:**/findings-*.jsonl");
    // The in-process scan of the two files concatenated (the order the runner numbers them in) gives the same
    // summary, membership ROC curves included, and the same memorized findings.
    Path all = dir.resolve("all.jsonl.txt");
    try {
      Files.writeString(all, Files.readString(dir.resolve("a.jsonl")) + Files.readString(dir.resolve("b.jsonl")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    CliRun inProcess = CliRun.of("audit", "--model", model.toString(), "--data", all.toString(), "--prefix-tokens",
        "8", "--suffix-tokens", "16", "--quiet", "--report", dir.resolve("scan/report.html").toString(), "--json",
        dir.resolve("scan/report.json").toString());
    assertThat(inProcess.exitCode()).as(inProcess.err()).isZero();
    AuditReport scanned = AuditReport.readJson(dir.resolve("scan/report.json"));
    assertThat(written.summary()).isEqualTo(scanned.summary());
    assertThat(written.findings()).containsExactlyInAnyOrderElementsOf(scanned.memorizedFindings());
  }

  @Test
  void malformedLineExitsTwoNamingFileAndLineOrIsCountedWhenSkipped() throws Exception {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"id\": \"a\", \"text\": \"a text long enough to audit, really it is\"}\n{oops\n");
    CliRun failed = audit(bad.toString(), "--report", dir.resolve("bad/r.html").toString());
    assertThat(failed.exitCode()).isEqualTo(2);
    assertThat(failed.err().strip()).contains("bad.jsonl:2:").doesNotContain("\n");
    CliRun skipped = audit(bad.toString(), "--report", dir.resolve("bad/r.html").toString(), "--skip-malformed");
    assertThat(skipped.exitCode()).as(skipped.err()).isZero();
    assertThat(skipped.out()).containsPattern("malformed_lines\\s+1");
  }

  @Test
  void unknownRunnerAndMissingCheckpointExitTwo() {
    CliRun flink = CliRun.of("audit", "--runner", "flink", "--model", model.toString(), "--data",
        dir.resolve("a.jsonl").toString(), "--report", dir.resolve("f.html").toString());
    assertThat(flink.exitCode()).isEqualTo(2);
    assertThat(flink.err()).contains("-Pflink");
    String missing = dir.resolve("nope.zip").toString();
    CliRun gone = CliRun.of("audit", "--runner", "direct", "--model", missing, "--data",
        dir.resolve("a.jsonl").toString(), "--report", dir.resolve("g.html").toString());
    assertThat(gone.exitCode()).isEqualTo(2);
    assertThat(gone.err()).contains(missing);
    CliRun noRunner = CliRun.of("audit", "--skip-malformed", "--model", model.toString(), "--data",
        dir.resolve("a.jsonl").toString(), "--report", dir.resolve("h.html").toString());
    assertThat(noRunner.exitCode()).isEqualTo(2);
    assertThat(noRunner.err()).contains("need --runner");
  }
}
