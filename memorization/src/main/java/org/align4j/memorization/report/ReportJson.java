package org.align4j.memorization.report;

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
import org.align4j.core.io.AtomicFiles;
import org.align4j.memorization.AuditReport;

/**
 * The JSON form of {@link AuditReport}: records by their components, nulls kept, non-finite numbers allowed, map
 * keys sorted; written through {@link AtomicFiles}.
 */
public final class ReportJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
      .visibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private ReportJson() {}

  /** The report as JSON text. */
  public static String write(AuditReport report) {
    try {
      return MAPPER.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the audit report as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Writes the report's JSON to {@code path} atomically. */
  public static void write(AuditReport report, Path path) {
    AtomicFiles.writeString(path, write(report));
  }

  /** Reads a report from JSON text; {@code source} names it in error messages. */
  public static AuditReport read(String json, String source) {
    try {
      AuditReport report = MAPPER.readValue(json, AuditReport.class);
      if (report == null) {
        throw new DataFormatException(source, "empty JSON document, expected an audit report");
      }
      return report;
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new DataFormatException(source, Math.max(1, line), "not an audit report: " + e.getOriginalMessage());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new DataFormatException(source, "not a valid audit report: " + e.getMessage());
    }
  }

  /** Reads a report from a JSON file. */
  public static AuditReport read(Path path) {
    try {
      return read(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
