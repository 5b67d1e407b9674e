package org.align4j.memorization.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.io.RecordJson;
import org.align4j.memorization.AuditReport;

/**
 * The JSON form of {@link AuditReport}: records by their components, nulls kept, non-finite numbers allowed, map
 * keys sorted; written through {@link AtomicFiles}.
 */
public final class ReportJson {

  private static final ObjectMapper MAPPER = RecordJson.mapperBuilder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private ReportJson() {}

  /** The report as JSON text. */
  public static String write(AuditReport report) {
    return RecordJson.write(MAPPER, report);
  }

  /** Writes the report's JSON to {@code path} atomically. */
  public static void write(AuditReport report, Path path) {
    AtomicFiles.writeString(path, write(report));
  }

  /** Reads a report from JSON text; {@code source} names it in error messages. */
  public static AuditReport read(String json, String source) {
    return RecordJson.read(MAPPER, json, AuditReport.class, source, "an audit report");
  }

  /** Reads a report from a JSON file. */
  public static AuditReport read(Path path) {
    return RecordJson.read(MAPPER, path, AuditReport.class, "an audit report");
  }
}
