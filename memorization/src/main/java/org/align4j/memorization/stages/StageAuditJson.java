package org.align4j.memorization.stages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import org.align4j.core.io.RecordJson;

/** The JSON form of {@link StageAuditResult}: records by their components, nulls kept, in declaration order. */
final class StageAuditJson {

  private static final ObjectMapper MAPPER = RecordJson.mapperBuilder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private StageAuditJson() {}

  static String write(StageAuditResult result) {
    return RecordJson.write(MAPPER, result);
  }

  static StageAuditResult read(String json, String source) {
    return RecordJson.read(MAPPER, json, StageAuditResult.class, source, "a stage audit");
  }

  static StageAuditResult read(Path path) {
    return RecordJson.read(MAPPER, path, StageAuditResult.class, "a stage audit");
  }
}
