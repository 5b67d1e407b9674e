package org.align4j.rewardmodel.calibration.io;

import java.util.ArrayList;
import java.util.List;

/** Splits and writes lines of RFC 4180 CSV (fields with commas or quotes are quoted; quotes doubled). */
final class CsvLine {

  private CsvLine() {}

  /**
   * The fields of one line.
   *
   * @throws IllegalArgumentException when a quoted field is not closed on this line
   */
  static List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
      i++;
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quoted field");
    }
    fields.add(field.toString());
    return fields;
  }

  /** One field, quoted when it holds a comma, a quote or a line break. */
  static String quote(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
