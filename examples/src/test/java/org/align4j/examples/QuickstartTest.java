package org.align4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.align4j.memorization.AuditReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartTest {

  @TempDir Path dir;

  @Test
  void runsEndToEndOnATinyConfiguration() throws Exception {
    QuickstartConfig config = QuickstartConfig.builder().uniqueExamples(16).epochs(1).dModel(16).layers(1)
        .outputDir(dir).build();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    QuickstartResult r = Quickstart.run(config, new PrintStream(progress, true, StandardCharsets.UTF_8));

    assertThat(r.report().summary().scanned()).isEqualTo(r.membersMemorized().trials()
        + r.heldOutMemorized().trials());
    assertThat(r.membersMemorized().trials()).isPositive();
    assertThat(r.heldOutMemorized().trials()).isPositive();
    assertThat(r.memorizedByDuplicates()).containsKey(0);
    assertThat(r.memorizedByDuplicates().get(0).trials()).isEqualTo(r.heldOutMemorized().trials());
    assertThat(r.counterfactual().trials()).isEqualTo(r.membersMemorized().trials());
    assertThat(r.membershipAuc()).isBetween(0.0, 1.0);
    assertThat(r.report().provenance().dataSha256()).hasSize(64);
    assertThat(r.report().provenance().model().dataName()).contains("synthetic-code");
    assertThat(r.report().provenance().control().steps()).isPositive();
    assertThat(Files.readString(r.htmlReport())).contains("<svg").doesNotContain("<script");
    assertThat(AuditReport.readJson(r.jsonReport())).isEqualTo(r.report());
    assertThat(dir.resolve("target-model/model.json")).exists();
    assertThat(dir.resolve("control-model/model.json")).exists();
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("target").contains("control");
  }
}
