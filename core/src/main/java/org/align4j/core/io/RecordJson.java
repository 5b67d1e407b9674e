package org.align4j.core.io;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.align4j.core.data.DataFormatException;

/**
 * The JSON form align4j gives its reports and results: records (and other immutable values) by their fields and
 * canonical constructors, nulls kept, non-finite numbers allowed ({@code NaN}, {@code Infinity}), unknown
 * properties ignored when reading. One configuration, so that every report reads back the way it was written.
 */
public final class RecordJson {

  private RecordJson() {}

  /** A mapper builder with this form; callers add their layout (indentation, sorted map keys). */
  public static JsonMapper.Builder mapperBuilder() {
    return JsonMapper.builder()
        .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
        .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
        .visibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
        .serializationInclusion(JsonInclude.Include.ALWAYS)
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /**
   * {@code value} as JSON text.
   *
   * @throws IllegalStateException when it cannot be written (a value of a type this form does not cover)
   */
  public static String write(ObjectMapper mapper, Object value) {
    Objects.requireNonNull(value, "value");
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads a {@code type} from {@code json}.
   *
   * @param source names the text in error messages (a file name, or a description)
   * @param what what the text should hold, for error messages ("an audit report")
   * @throws DataFormatException naming {@code source} (and the line, where known) when the text is empty, not
   *     JSON, or not a valid {@code what}
   */
  public static <T> T read(ObjectMapper mapper, String json, Class<T> type, String source, String what) {
    try {
      T value = mapper.readValue(json, type);
      if (value == null) {
        throw new DataFormatException(source, "empty JSON document, expected " + what);
      }
      return value;
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new DataFormatException(source, Math.max(1, line), "not " + what + ": " + e.getOriginalMessage());
    } catch (DataFormatException e) {
      throw e;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new DataFormatException(source, "not a valid " + what.replaceFirst("^an? ", "") + ": "
          + e.getMessage());
    }
  }

  /**
   * Reads a {@code type} from the UTF-8 JSON file {@code path}.
   *
   * @throws UncheckedIOException when the file cannot be read
   * @throws DataFormatException naming the file (and the line, where known) when it does not hold a valid
   *     {@code what}
   */
  public static <T> T read(ObjectMapper mapper, Path path, Class<T> type, String what) {
    String json;
    try {
      json = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
    return read(mapper, json, type, path.toString(), what);
  }
}
