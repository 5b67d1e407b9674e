package org.align4j.memorization.stages;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.align4j.core.data.DataFormatException;

/** The JSON form of {@link StageAuditResult}: records by their components, nulls kept, in declaration order. */
final class StageAuditJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
      .visibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private StageAuditJson() {}

  static String write(StageAuditResult result) {
    try {
      return MAPPER.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the stage audit as JSON: " + e.getOriginalMessage(), e);
    }
  }

  static StageAuditResult read(String json, String source) {
    try {
      StageAuditResult result = MAPPER.readValue(json, StageAuditResult.class);
      if (result == null) {
        throw new DataFormatException(source, "empty JSON document, expected a stage audit");
      }
      return result;
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new DataFormatException(source, Math.max(1, line), "not a stage audit: " + e.getOriginalMessage());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new DataFormatException(source, "not a valid stage audit: " + e.getMessage());
    }
  }

  static StageAuditResult read(Path path) {
    try {
      return read(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
