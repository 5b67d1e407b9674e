package org.align4j.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** Prints a command's results: one JSON object with {@code --json}, else aligned "key: value" lines. */
final class Output {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Output() {}

  static void print(CommandSpec spec, boolean json, Map<String, ?> values) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      try {
        out.println(JSON.writeValueAsString(values));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    } else {
      int width = values.keySet().stream().mapToInt(String::length).max().orElse(0);
      values.forEach((k, v) -> out.printf("%-" + width + "s  %s%n", k, v));
    }
    out.flush();
  }
}
