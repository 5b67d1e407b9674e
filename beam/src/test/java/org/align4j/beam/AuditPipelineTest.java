package org.align4j.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.align4j.core.data.DataFormatException;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AuditPipeline}: a whole audit from JSONL files to sharded findings and the report. */
class AuditPipelineTest {

  @TempDir Path dir;

  @Test
  void writesShardedFindingsAndTheReport() throws Exception {
    AuditFixture fixture = AuditFixture.shared();
    AuditReport scan = AuditFixture.scan();
    JsonlDatasets.writeTextExamples(dir.resolve("part-1.jsonl"), fixture.examples.subList(0, 120));
    JsonlDatasets.writeTextExamples(dir.resolve("part-2.jsonl"), fixture.examples.subList(120,
        fixture.examples.size()));
    Files.writeString(dir.resolve("part-2.jsonl"), "{\"broken\n", java.nio.file.StandardOpenOption.APPEND);
    Path html = dir.resolve("report.html");
    Path json = dir.resolve("report.json");
    AuditPipeline.Result result = AuditPipeline.run(List.of(dir.resolve("part-*.jsonl").toString()),
        fixture.checkpoint.toString(), null, AuditFixture.config(), true, dir.resolve("out") + "/", html, json,
        AuditTransformTest.pipeline(2).getOptions());

    assertThat(Json.write(result.summary().summary())).isEqualTo(Json.write(scan.summary()));
    assertThat(result.malformedLines()).isEqualTo(1);
    List<String> shardLines;
    try (Stream<Path> files = Files.list(dir.resolve("out"))) {
      shardLines = files.filter(f -> f.getFileName().toString().startsWith("findings-"))
          .flatMap(f -> {
            try {
              return Files.readAllLines(f).stream();
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).toList();
    }
    assertThat(shardLines).hasSize(scan.findings().size());
    assertThat(shardLines.stream().map(l -> Json.write(Json.read(l, Finding.class, "shard"))))
        .containsExactlyInAnyOrderElementsOf(scan.findings().stream().map(Json::write).toList());
    AuditReport written = AuditReport.readJson(json);
    assertThat(written.findings()).extracting(Finding::id)
        .containsExactlyElementsOf(scan.memorizedFindings().stream().map(Finding::id).sorted().toList());
    assertThat(written.config().keepOnlyMemorized()).isTrue();
    assertThat(written.provenance().dataSha256()).isEqualTo(result.summary().dataSha256());
    assertThat(Files.readString(html)).contains("<html");
  }

  @Test
  void malformedLineFailsWithFileAndLine() throws Exception {
    Files.writeString(dir.resolve("d.jsonl"), "{\"id\": \"x\", \"text\": \"hello there\"}\nnot json\n");
    assertThatThrownBy(() -> AuditPipeline.run(List.of(dir.resolve("d.jsonl").toString()),
        AuditFixture.shared().checkpoint.toString(), null, AuditFixture.config(), false, dir + "/out/",
        dir.resolve("r.html"), null, AuditTransformTest.pipeline(1).getOptions()))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("d.jsonl:2:");
    assertThat(dir.resolve("r.html")).doesNotExist();
  }

  @Test
  void unreadableCheckpointFailsBeforeAnyWork() throws Exception {
    Files.writeString(dir.resolve("e.jsonl"), "{\"id\": \"x\", \"text\": \"hello there\"}\n");
    String missing = dir.resolve("gone.zip").toString();
    assertThatThrownBy(() -> AuditPipeline.run(List.of(dir.resolve("e.jsonl").toString()), missing, null,
        AuditFixture.config(), false, dir + "/out/", dir.resolve("r.html"), null,
        AuditTransformTest.pipeline(1).getOptions()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing);
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
