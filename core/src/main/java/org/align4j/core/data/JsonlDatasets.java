package org.align4j.core.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.AbstractIterator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Stream;
import org.align4j.core.io.AtomicFiles;

/**
 * Reads and writes data sets as JSON Lines: one JSON object a line, UTF-8.
 *
 * <p>Text corpora: {@code {"id": ..., "text": ...}}; every other key is kept as {@link TextExample#metadata()}
 * (strings, booleans, numbers, and nested lists and maps; keys whose value is JSON {@code null} are dropped). The
 * {@code id} may be a string or an integer; when it is missing (or null) the example's id is its 1-based line
 * number in the file, as a string ({@code "1"}, {@code "2"}, ...).
 *
 * <p>Preference pairs: {@code {"prompt": ..., "chosen": ..., "rejected": ...}} as in the Python ecosystem, with
 * optional {@code "id"} (missing: the line number, as above), {@code "category"} (string) and {@code "margin"}
 * (number); other keys are ignored.
 *
 * <p>Readers are lazy: each {@link Dataset#stream()} opens the file and reads one line at a time; the file is
 * closed when the stream is closed or its iterator runs out. Blank lines are skipped (but counted). Malformed JSON,
 * a line that is not an object, invalid UTF-8, a missing or non-string required field, or a non-numeric margin
 * throws a {@link DataFormatException} naming the file and the 1-based line. Writers write atomically through
 * {@link AtomicFiles}.
 */
public final class JsonlDatasets {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private JsonlDatasets() {}

  /**
   * A lazy data set of the text examples in {@code path}.
   *
   * @throws IllegalArgumentException if {@code path} is not a readable regular file
   */
  public static Dataset<TextExample> textExamples(Path path) {
    return lines(path, JsonlDatasets::textExample);
  }

  /**
   * A lazy data set of the preference pairs in {@code path}.
   *
   * @throws IllegalArgumentException if {@code path} is not a readable regular file
   */
  public static Dataset<PreferencePair> preferencePairs(Path path) {
    return lines(path, JsonlDatasets::preferencePair);
  }

  /**
   * Parses one line of a text corpus read elsewhere (for example by a distributed runner), exactly as
   * {@link #textExamples} parses it: a byte-order mark is dropped from line 1, and a missing id becomes the line
   * number. Blank lines are not examples: skip them before calling.
   *
   * @param line the line's text, without its line terminator
   * @param source the file's name, for messages
   * @param lineNumber the 1-based line number, for messages and missing ids
   * @throws DataFormatException naming {@code source} and {@code lineNumber} when the line is not a valid example
   */
  public static TextExample parseTextExample(String line, String source, long lineNumber) {
    String text = lineNumber == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
    return parseLine(text, new Line(source, lineNumber), JsonlDatasets::textExample);
  }

  /**
   * Writes {@code examples} to {@code path} atomically, one object a line: {@code id}, {@code text}, then the
   * metadata entries.
   *
   * @throws IllegalArgumentException if a metadata key is {@code "id"} or {@code "text"}
   */
  public static void writeTextExamples(Path path, Iterable<TextExample> examples) {
    write(path, examples, e -> {
      ObjectNode node = MAPPER.createObjectNode();
      node.put("id", e.id());
      node.put("text", e.text());
      e.metadata().forEach((key, value) -> {
        if (key.equals("id") || key.equals("text")) {
          throw new IllegalArgumentException(
              "metadata key \"" + key + "\" of example " + e.id() + " clashes with the field of the same name");
        }
        node.set(key, MAPPER.valueToTree(value));
      });
      return node;
    });
  }

  /**
   * Writes {@code pairs} to {@code path} atomically, one object a line: {@code id}, {@code prompt},
   * {@code chosen}, {@code rejected}, and {@code category} and {@code margin} where present.
   */
  public static void writePreferencePairs(Path path, Iterable<PreferencePair> pairs) {
    write(path, pairs, p -> {
      ObjectNode node = MAPPER.createObjectNode();
      node.put("id", p.id());
      node.put("prompt", p.prompt());
      node.put("chosen", p.chosen());
      node.put("rejected", p.rejected());
      p.category().ifPresent(c -> node.put("category", c));
      if (p.margin().isPresent()) {
        node.put("margin", p.margin().getAsDouble());
      }
      return node;
    });
  }

  /** Parses one non-blank line into an example; throws {@link DataFormatException} or IllegalArgumentException. */
  @FunctionalInterface
  private interface LineParser<T> {
    T parse(ObjectNode node, Line line);
  }

  /** Where a line is: the file's name for messages and the 1-based line number. */
  private record Line(String source, long number) {
    DataFormatException error(String problem) {
      return new DataFormatException(source, number, problem);
    }
  }

  private static <T> Dataset<T> lines(Path path, LineParser<T> parser) {
    Objects.requireNonNull(path, "path");
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalArgumentException("not a readable file: " + path);
    }
    String source = path.toString();
    return new Dataset<>() {
      @Override
      public Stream<T> stream() {
        Utf8LineReader reader;
        try {
          reader = new Utf8LineReader(Files.newInputStream(path));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
        return ClosingStreams.of(new AbstractIterator<T>() {
          private long lineNumber;

          @Override
          protected T computeNext() {
            while (true) {
              String text;
              try {
                text = reader.readLine();
              } catch (CharacterCodingException e) {
                throw new DataFormatException(source, lineNumber + 1, "not valid UTF-8");
              } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
              }
              if (text == null) {
                return endOfData();
              }
              lineNumber++;
              if (lineNumber == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
              }
              if (!text.isBlank()) {
                return parseLine(text, new Line(source, lineNumber), parser);
              }
            }
          }
        }, reader);
      }

      @Override
      public String name() {
        return source;
      }
    };
  }

  private static <T> T parseLine(String text, Line line, LineParser<T> parser) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw line.error("malformed JSON: " + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      throw line.error("expected a JSON object, got " + node.getNodeType().toString().toLowerCase());
    }
    try {
      return parser.parse(object, line);
    } catch (DataFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw line.error(e.getMessage());
    }
  }

  private static TextExample textExample(ObjectNode node, Line line) {
    String id = id(node, line);
    String text = requiredString(node, "text", line);
    Map<String, Object> metadata = new HashMap<>();
    node.fields().forEachRemaining(e -> {
      Object value = JsonValues.toJava(e.getValue());
      if (!e.getKey().equals("id") && !e.getKey().equals("text") && value != null) {
        metadata.put(e.getKey(), value);
      }
    });
    return new TextExample(id, text, metadata);
  }

  private static PreferencePair preferencePair(ObjectNode node, Line line) {
    String id = id(node, line);
    String prompt = requiredString(node, "prompt", line);
    String chosen = requiredString(node, "chosen", line);
    String rejected = requiredString(node, "rejected", line);
    JsonNode category = node.get("category");
    if (category != null && !category.isNull() && !category.isTextual()) {
      throw line.error("field \"category\" must be a string, got " + describe(category));
    }
    JsonNode margin = node.get("margin");
    if (margin != null && !margin.isNull() && !margin.isNumber()) {
      throw line.error("field \"margin\" must be a number, got " + describe(margin));
    }
    return new PreferencePair(id, prompt, chosen, rejected,
        category == null || category.isNull() ? Optional.empty() : Optional.of(category.textValue()),
        margin == null || margin.isNull() ? OptionalDouble.empty() : OptionalDouble.of(margin.doubleValue()));
  }

  private static String id(ObjectNode node, Line line) {
    JsonNode id = node.get("id");
    if (id == null || id.isNull()) {
      return Long.toString(line.number());
    }
    if (id.isTextual()) {
      return id.textValue();
    }
    if (id.isIntegralNumber()) {
      return id.bigIntegerValue().toString();
    }
    throw line.error("field \"id\" must be a string or an integer, got " + describe(id));
  }

  private static String requiredString(ObjectNode node, String field, Line line) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw line.error("missing field \"" + field + "\"");
    }
    if (!value.isTextual()) {
      throw line.error("field \"" + field + "\" must be a string, got " + describe(value));
    }
    return value.textValue();
  }

  private static String describe(JsonNode node) {
    String text = node.toString();
    return node.getNodeType().toString().toLowerCase() + " " + (text.length() > 40 ? text.substring(0, 40) + "..."
        : text);
  }

  private static <T> void write(Path path, Iterable<T> items, Function<T, ObjectNode> toNode) {
    Objects.requireNonNull(items, "items");
    AtomicFiles.write(path, out -> {
      Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      if (items instanceof Dataset<T> dataset) {
        try (Stream<T> stream = dataset.stream()) {
          for (T item : (Iterable<T>) stream::iterator) {
            writeLine(writer, toNode.apply(item));
          }
        }
      } else {
        for (T item : items) {
          writeLine(writer, toNode.apply(item));
        }
      }
      writer.flush();
    });
  }

  private static void writeLine(Writer writer, ObjectNode node) throws IOException {
    writer.write(MAPPER.writeValueAsString(node));
    writer.write('\n');
  }
}
