package org.align4j.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.align4j.core.data.DataFormatException;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JsonlInput}: file patterns, positions, line numbers, malformed lines failing or dead-lettered. */
class JsonlInputTest {

  @TempDir Path dir;

  private String corpus() throws Exception {
    Files.writeString(dir.resolve("a.jsonl"), "{\"id\": \"a1\", \"text\": \"one\"}\n\n{\"text\": \"two\", \"k\": 3}\n");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("{\"id\": \"b1\", \"text\": \"three\"}\n{\"id\": \"b2\", \"text\": \n{\"id\": \"b3\", \"text\": \"four\"}\n"
        .getBytes(StandardCharsets.UTF_8));
    b.writeBytes(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xff, '"', '}', '\n'});
    Files.write(dir.resolve("b.jsonl"), b.toByteArray());
    Files.writeString(dir.resolve("ignored.txt"), "not matched\n");
    return dir.resolve("*.jsonl").toString();
  }

  @Test
  void malformedLineFailsNamingFileAndLine() throws Exception {
    Pipeline p = AuditTransformTest.pipeline(2);
    p.apply(JsonlInput.of(List.of(corpus())));
    assertThatThrownBy(() -> p.run().waitUntilFinish())
        .hasRootCauseInstanceOf(DataFormatException.class)
        .rootCause().hasMessageContaining("b.jsonl:2: malformed JSON");
  }

  @Test
  void skipMalformedSetsLinesAsideAndKeepsTheRestNumberedInFileAndLineOrder() throws Exception {
    Pipeline p = AuditTransformTest.pipeline(2);
    // b.jsonl first and a.jsonl matched twice: positions follow the sorted file names, each file read once.
    PCollectionTuple out = p.apply(JsonlInput.of(List.of(dir.resolve("b*.jsonl").toString(), corpus(),
        dir.resolve("a.jsonl").toString())).skipMalformed());
    PAssert.that(out.get(JsonlInput.EXAMPLES).apply("ids", MapElements.into(TypeDescriptors.strings())
            .via(e -> e.getKey() + " " + e.getValue().id() + "=" + e.getValue().text() + e.getValue().metadata())))
        .containsInAnyOrder("0 a1=one{}", "1 3=two{k=3}", "2 b1=three{}", "3 b3=four{}");
    PAssert.that(out.get(JsonlInput.MALFORMED).apply("lines", MapElements.into(TypeDescriptors.strings())
            .via(m -> Path.of(m.file()).getFileName() + ":" + m.line() + " " + m.error().contains("b.jsonl:"
                + m.line() + ": "))))
        .containsInAnyOrder("b.jsonl:2 true", "b.jsonl:4 true");
    p.run().waitUntilFinish();
  }

  @Test
  void patternMatchingNothingFailsAtConstruction() {
    Pipeline p = AuditTransformTest.pipeline(1);
    String pattern = dir.resolve("none-*.jsonl").toString();
    assertThatThrownBy(() -> p.apply(JsonlInput.of(List.of(pattern))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(pattern);
  }

  @Test
  void aCheckOfTheLineParserAgainstCoresReader() throws Exception {
    // The same file read by core's JsonlDatasets gives the same examples (ids from line numbers included).
    Path file = dir.resolve("c.jsonl");
    Files.writeString(file, "\uFEFF{\"text\": \"x\"}\n{\"id\": 7, \"text\": \"y\", \"m\": true}\n");
    Pipeline p = AuditTransformTest.pipeline(1);
    PCollectionTuple out = p.apply(JsonlInput.of(List.of(file.toString())));
    List<String> expected;
    try (var s = org.align4j.core.data.JsonlDatasets.textExamples(file).stream()) {
      expected = s.map(Json::write).toList();
    }
    assertThat(expected).hasSize(2);
    PAssert.that(out.get(JsonlInput.EXAMPLES).apply(MapElements.into(TypeDescriptors.strings())
            .via(e -> e.getKey() + " " + Json.write(e.getValue()))))
        .containsInAnyOrder("0 " + expected.get(0), "1 " + expected.get(1));
    p.run().waitUntilFinish();
  }
}
