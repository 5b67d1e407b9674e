package org.align4j.beam;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.align4j.core.io.RecordJson;

/**
 * One-line JSON of records by their components (nulls kept, non-finite numbers allowed, map keys sorted), so
 * that equal values give equal text: the form of coders and of the findings files.
 */
final class Json {

  private static final ObjectMapper MAPPER = RecordJson.mapperBuilder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private Json() {}

  static String write(Object value) {
    return RecordJson.write(MAPPER, value);
  }

  /** Reads a value; {@code source} names the text in error messages. */
  static <T> T read(String json, Class<T> type, String source) {
    return RecordJson.read(MAPPER, json, type, source, "a " + type.getSimpleName());
  }
}
