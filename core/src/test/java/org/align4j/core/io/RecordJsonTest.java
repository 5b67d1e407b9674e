package org.align4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.align4j.core.data.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records round-trip through the shared JSON form; bad text is refused naming its source and line. */
class RecordJsonTest {

  record Point(String name, double x, Double missing, Map<String, Integer> counts) {
    Point {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name must not be empty");
      }
    }
  }

  private static final ObjectMapper MAPPER = RecordJson.mapperBuilder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  @TempDir Path dir;

  @Test
  void recordsWithNullsAndNonFiniteNumbersRoundTrip() {
    Point p = new Point("a", Double.NaN, null, new TreeMap<>(Map.of("z", 1, "b", 2)));
    String json = RecordJson.write(MAPPER, p);
    assertThat(json).isEqualTo("{\"name\":\"a\",\"x\":\"NaN\",\"missing\":null,\"counts\":{\"b\":2,\"z\":1}}");
    assertThat(RecordJson.read(MAPPER, json, Point.class, "s", "a point")).isEqualTo(p);
    assertThat(RecordJson.read(MAPPER, "{\"name\":\"b\",\"x\":1,\"extra\":true}", Point.class, "s", "a point"))
        .isEqualTo(new Point("b", 1, null, null));
  }

  @Test
  void badTextNamesTheSourceTheLineAndWhatWasExpected() throws Exception {
    assertThatThrownBy(() -> RecordJson.read(MAPPER, "", Point.class, "p.json", "a point"))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("p.json").hasMessageContaining("a point");
    assertThatThrownBy(() -> RecordJson.read(MAPPER, "{\n\"name\": \"a\",\n\"x\": [}", Point.class, "p.json",
        "a point")).isInstanceOf(DataFormatException.class).hasMessageContaining("p.json:3")
        .hasMessageContaining("not a point");
    assertThatThrownBy(() -> RecordJson.read(MAPPER, "{\"name\": \"\", \"x\": 1}", Point.class, "p.json",
        "a point")).isInstanceOf(DataFormatException.class).hasMessageContaining("name must not be empty");
    Path file = dir.resolve("q.json");
    Files.writeString(file, "{\"name\": \"q\", \"x\": 2}");
    assertThat(RecordJson.read(MAPPER, file, Point.class, "a point").x()).isEqualTo(2);
    assertThatThrownBy(() -> RecordJson.read(MAPPER, dir.resolve("none.json"), Point.class, "a point"))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("none.json");
  }
}
