package org.align4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlDatasetsTest {

  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, content);
    return path;
  }

  @Test
  void readsTextExamplesWithMetadataAndLineNumberIds() throws IOException {
    Path path = file("corpus.jsonl", """
        {"id": "a", "text": "hello", "lang": "en", "n": 3, "score": 0.5, "ok": true, "tags": ["x", 1], "gone": null}

        {"text": "no id here"}
        {"id": 42, "text": "numeric id"}
        """);
    List<TextExample> examples = JsonlDatasets.textExamples(path).toList();
    assertThat(examples).hasSize(3);
    TextExample first = examples.get(0);
    assertThat(first.id()).isEqualTo("a");
    assertThat(first.text()).isEqualTo("hello");
    assertThat(first.metadata()).containsOnlyKeys("lang", "n", "score", "ok", "tags");
    assertThat(first.metadata()).containsEntry("lang", "en").containsEntry("n", 3).containsEntry("score", 0.5)
        .containsEntry("ok", true).containsEntry("tags", List.of("x", 1));
    assertThat(examples.get(1).id()).isEqualTo("3");
    assertThat(examples.get(2).id()).isEqualTo("42");
    assertThat(JsonlDatasets.textExamples(path).name()).isEqualTo(path.toString());
  }

  @Test
  void readsPreferencePairs() throws IOException {
    Path path = file("pairs.jsonl", """
        {"prompt": "p", "chosen": "c", "rejected": "r"}
        {"id": "x", "prompt": "p2", "chosen": "c2", "rejected": "r2", "category": "chat", "margin": 1.5, "extra": 1}
        """);
    assertThat(JsonlDatasets.preferencePairs(path).toList()).containsExactly(
        new PreferencePair("1", "p", "c", "r"),
        new PreferencePair("x", "p2", "c2", "r2", Optional.of("chat"), OptionalDouble.of(1.5)));
  }

  @Test
  void errorsNameFileAndLine() throws IOException {
    assertError("bad.jsonl", "{\"text\": \"ok\"}\n\n{\"text\": \"unterminated}\n", true, ":3: malformed JSON");
    assertError("missing.jsonl", "{\"id\": \"a\"}\n", true, ":1: missing field \"text\"");
    assertError("type.jsonl", "{\"text\": \"a\"}\n{\"text\": 5}\n", true, ":2: field \"text\" must be a string");
    assertError("array.jsonl", "[1, 2]\n", true, ":1: expected a JSON object");
    assertError("id.jsonl", "{\"id\": [1], \"text\": \"a\"}\n", true, ":1: field \"id\"");
    assertError("p1.jsonl", "{\"prompt\": \"p\", \"chosen\": \"c\"}\n", false, ":1: missing field \"rejected\"");
    assertError("p2.jsonl", "{\"prompt\": \"p\", \"chosen\": \"c\", \"rejected\": \"r\", \"margin\": \"big\"}\n",
        false, ":1: field \"margin\" must be a number");
    assertError("p3.jsonl", "{\"prompt\": \"p\", \"chosen\": \"c\", \"rejected\": \"r\", \"category\": 1}\n", false,
        ":1: field \"category\" must be a string");
    assertError("p4.jsonl", "{\"prompt\": \"p\", \"chosen\": \"c\", \"rejected\": \"r\", \"margin\": 1e999}\n",
        false, ":1: margin must be finite");
  }

  @Test
  void invalidUtf8IsReportedAtItsLine() throws IOException {
    Path path = dir.resolve("latin1.jsonl");
    byte[] good = "{\"text\": \"fine\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] bad = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xE9, '"', '}', '\n'};
    byte[] all = new byte[good.length * 2 + bad.length];
    System.arraycopy(good, 0, all, 0, good.length);
    System.arraycopy(good, 0, all, good.length, good.length);
    System.arraycopy(bad, 0, all, 2 * good.length, bad.length);
    Files.write(path, all);
    assertThatThrownBy(() -> JsonlDatasets.textExamples(path).toList())
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("latin1.jsonl:3: not valid UTF-8");
  }

  @Test
  void readsLazilyAndClosesTheFile() throws IOException {
    Path path = file("lazy.jsonl", "{\"text\": \"a\"}\n{\"text\": \"b\"}\nnot json\n");
    Dataset<TextExample> dataset = JsonlDatasets.textExamples(path);
    // the malformed third line is never parsed when only two examples are taken
    try (Stream<TextExample> s = dataset.stream()) {
      assertThat(s.limit(2).map(TextExample::text).toList()).containsExactly("a", "b");
    }
    Path good = file("good.jsonl", "{\"text\": \"a\"}\r\n{\"text\": \"b\"}");
    Iterator<TextExample> it = JsonlDatasets.textExamples(good).iterator();
    assertThat(it.next().text()).isEqualTo("a");
    assertThat(it.next().text()).isEqualTo("b");
    assertThat(it.hasNext()).isFalse();
    // exhausted: the file is closed, so it can be deleted and the data set read again gives the same
    assertThat(JsonlDatasets.textExamples(good).toList()).hasSize(2);
    Files.delete(good);
  }

  @Test
  void rejectsMissingFile() {
    assertThatThrownBy(() -> JsonlDatasets.textExamples(dir.resolve("none.jsonl")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none.jsonl");
  }

  @Test
  void writeThenReadRoundTrips() {
    List<TextExample> examples = List.of(
        new TextExample("a", "line one\nline two \"quoted\" 😀", Map.of("duplicates", 4, "has_pii", true)),
        new TextExample("b", "", Map.of()));
    Path textPath = dir.resolve("out/texts.jsonl");
    JsonlDatasets.writeTextExamples(textPath, examples);
    assertThat(JsonlDatasets.textExamples(textPath).toList()).isEqualTo(examples);
    // a Dataset as the source is streamed and closed
    Path copy = dir.resolve("out/copy.jsonl");
    JsonlDatasets.writeTextExamples(copy, JsonlDatasets.textExamples(textPath));
    assertThat(JsonlDatasets.textExamples(copy).toList()).isEqualTo(examples);

    List<PreferencePair> pairs = List.of(
        new PreferencePair("1", "p", "c", "r"),
        new PreferencePair("2", "p", "c", "r", Optional.of("math"), OptionalDouble.of(-0.25)));
    Path pairPath = dir.resolve("out/pairs.jsonl");
    JsonlDatasets.writePreferencePairs(pairPath, pairs);
    assertThat(JsonlDatasets.preferencePairs(pairPath).toList()).isEqualTo(pairs);
  }

  @Test
  void rejectsMetadataThatClashesWithFields() {
    List<TextExample> examples = List.of(new TextExample("a", "t", Map.of("text", "other")));
    assertThatThrownBy(() -> JsonlDatasets.writeTextExamples(dir.resolve("x.jsonl"), examples))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"text\"");
    assertThat(dir.resolve("x.jsonl")).doesNotExist();
  }

  private void assertError(String name, String content, boolean texts, String message) throws IOException {
    Path path = file(name, content);
    Dataset<?> dataset = texts ? JsonlDatasets.textExamples(path) : JsonlDatasets.preferencePairs(path);
    assertThatThrownBy(dataset::toList)
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(path.toString())
        .hasMessageContaining(name + message);
  }
}
