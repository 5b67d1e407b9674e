package org.align4j.core.data.synthetic;

import static org.align4j.core.data.synthetic.Words.between;
import static org.align4j.core.data.synthetic.Words.camel;
import static org.align4j.core.data.synthetic.Words.decimal;
import static org.align4j.core.data.synthetic.Words.pascal;
import static org.align4j.core.data.synthetic.Words.upper;

import java.util.List;
import java.util.Random;

/** Templates of Java-like helper methods and classes. */
final class JavaTemplates {

  static final List<Template> ALL = List.of(
      new Template("java_parse", "java", JavaTemplates::parse),
      new Template("java_validate", "java", JavaTemplates::validate),
      new Template("java_convert", "java", JavaTemplates::convert),
      new Template("java_compute", "java", JavaTemplates::compute),
      new Template("java_config_loader", "java", JavaTemplates::configLoader),
      new Template("java_http_client", "java", JavaTemplates::httpClient));

  private JavaTemplates() {}

  /** A local constant or a comment carrying the PII value, indented by {@code indent}; nothing without PII. */
  private static void pii(Code c, Random r, Pii pii, String indent) {
    if (pii == null) {
      return;
    }
    if (r.nextBoolean()) {
      c.line(indent, "final String ", camel(pii.constant()), " = \"", pii.value(), "\";");
    } else {
      c.line(indent, "// ", pii.constant().replace('_', ' '), ": ", pii.value());
    }
  }

  private static String parse(Random r, Pii pii) {
    String noun = Words.noun(r);
    String type = pascal(noun, Words.pick(r, new String[] {"record", "row", "entry", "line"}));
    String[] f = Words.fields(r, 3);
    String sep = Words.pick(r, new String[] {",", ";", "\\\\|", ":", "\\t"});
    Code c = new Code();
    c.line("static ", type, " ", camel("parse", type), "(String raw) {");
    c.line("  // format: ", f[0], sep.replace("\\\\", ""), f[1], sep.replace("\\\\", ""), f[2]);
    pii(c, r, pii, "  ");
    c.line("  String[] parts = raw.trim().split(\"", sep, "\", -1);");
    c.line("  if (parts.length != 3) {");
    c.line("    throw new IllegalArgumentException(\"", noun, ": expected 3 fields, got \" + parts.length);");
    c.line("  }");
    c.line("  long ", camel(f[1]), " = Long.parseLong(parts[1].trim()) % ", between(r, 7, 99991), "L;");
    c.line("  double ", camel(f[2]), " = parts[2].isBlank() ? ", decimal(r, 0, 100, 2), " : Double.parseDouble(parts[2]);");
    c.line("  return new ", type, "(parts[0].strip(), ", camel(f[1]), ", ", camel(f[2]), ");");
    c.line("}");
    return c.toString();
  }

  private static String validate(Random r, Pii pii) {
    String noun = Words.noun(r);
    String type = pascal(noun);
    String arg = camel(noun);
    String[] f = Words.fields(r, 3);
    int max = between(r, 8, 512);
    int min = between(r, 0, 99);
    Code c = new Code();
    c.line("static List<String> ", camel(Words.pick(r, new String[] {"validate", "check", "verify"}), noun), "(",
        type, " ", arg, ") {");
    c.line("  final int ", camel("max", f[0], "length"), " = ", max, ";");
    pii(c, r, pii, "  ");
    c.line("  List<String> errors = new ArrayList<>();");
    c.line("  if (", arg, ".", camel(f[0]), "().length() > ", camel("max", f[0], "length"), ") {");
    c.line("    errors.add(\"", f[0], " longer than ", max, "\");");
    c.line("  }");
    String[] allowed = Words.twoAdjectives(r);
    c.line("  if (!Set.of(\"", allowed[0], "\", \"", allowed[1], "\").contains(", arg, ".", camel(f[1]), "())) {");
    c.line("    errors.add(\"unknown ", f[1], ": \" + ", arg, ".", camel(f[1]), "());");
    c.line("  }");
    c.line("  if (", arg, ".", camel(f[2]), "() < ", min, ") {");
    c.line("    errors.add(\"", f[2], " below ", min, "\");");
    c.line("  }");
    c.line("  return errors;");
    c.line("}");
    return c.toString();
  }

  private static String convert(Random r, Pii pii) {
    String from = Words.unit(r);
    String to = Words.unit(r);
    String factorName = upper(from, "per", to);
    String factor = decimal(r, 0.001, 1000, between(r, 2, 6));
    String offset = Words.plusOrMinus(r, 50, 1);
    Code c = new Code();
    c.line("/** Converts ", from, " to ", to, " (factor ", factor, ", offset ", offset, "). */");
    c.line("static double ", camel(from, "to", to), "(double value) {");
    c.line("  final double ", factorName, " = ", factor, ";");
    pii(c, r, pii, "  ");
    c.line("  if (Double.isNaN(value)) {");
    c.line("    return ", r.nextBoolean() ? "Double.NaN" : "0.0", ";");
    c.line("  }");
    c.line("  double result = value * ", factorName, " ", offset, ";");
    int digits = between(r, 0, 4);
    c.line("  return Math.round(result * 1e", digits, ") / 1e", digits, ";");
    c.line("}");
    return c.toString();
  }

  private static String compute(Random r, Pii pii) {
    String adjective = Words.adjective(r);
    String noun = Words.noun(r);
    String field = camel(Words.fields(r, 1)[0]);
    String weight = decimal(r, 0.1, 5, 2);
    String threshold = decimal(r, 0, 50, 1);
    Code c = new Code();
    c.line("/** Weighted ", adjective, " score of the ", noun, "s, skipping ", field, " below ", threshold, ". */");
    c.line("static double ", camel("compute", adjective, noun, "score"), "(List<", pascal(noun), "> items) {");
    c.line("  final double weight = ", weight, ";");
    pii(c, r, pii, "  ");
    c.line("  double total = 0;");
    c.line("  int count = 0;");
    c.line("  for (", pascal(noun), " item : items) {");
    c.line("    double value = item.", field, "();");
    c.line("    if (value < ", threshold, ") {");
    c.line("      continue;");
    c.line("    }");
    c.line("    total += value * weight", r.nextBoolean() ? " * value" : "", ";");
    c.line("    count++;");
    c.line("  }");
    c.line("  return total / Math.max(count, 1) ", Words.plusOrMinus(r, 5, 3), ";");
    c.line("}");
    return c.toString();
  }

  private static String configLoader(Random r, Pii pii) {
    String noun = Words.noun(r);
    String[] k = Words.fields(r, 3);
    Code c = new Code();
    c.line("static Properties ", camel("load", noun, "config"), "(Path path) throws IOException {");
    c.line("  Properties config = new Properties();");
    c.line("  config.setProperty(\"", noun, ".", k[0], "\", \"", between(r, 1, 10000), "\");");
    c.line("  config.setProperty(\"", noun, ".", k[1], "\", \"", Words.adjective(r), "\");");
    c.line("  config.setProperty(\"", noun, ".", k[2], "\", \"", r.nextBoolean(), "\");");
    if (pii != null) {
      c.line("  config.setProperty(\"", noun, ".", pii.constant(), "\", \"", pii.value(), "\");");
    }
    c.line("  if (Files.exists(path)) {");
    c.line("    try (Reader in = Files.newBufferedReader(path)) {");
    c.line("      config.load(in);");
    c.line("    }");
    c.line("  }");
    c.line("  return config;");
    c.line("}");
    return c.toString();
  }

  private static String httpClient(Random r, Pii pii) {
    String noun = Words.noun(r);
    String className = pascal(Words.adjective(r), noun, "client");
    String field = Words.fields(r, 1)[0];
    Code c = new Code();
    c.line("final class ", className, " {");
    c.line("  private static final URI BASE = URI.create(\"https://", Words.host(r), "/v", between(r, 1, 4), "/\");");
    c.line("  private final HttpClient http = HttpClient.newBuilder()");
    c.line("      .connectTimeout(Duration.ofSeconds(", between(r, 2, 60), ")).build();");
    c.line();
    c.line("  String ", camel("fetch", noun, field), "(String id) throws Exception {");
    pii(c, r, pii == null || pii.type().equals("api_key") ? null : pii, "    ");
    c.line("    HttpRequest request = HttpRequest.newBuilder(BASE.resolve(\"", noun, "s/\" + id))");
    if (pii != null && pii.type().equals("api_key")) {
      c.line("        .header(\"Authorization\", \"Bearer ", pii.value(), "\")");
    }
    c.line("        .GET().build();");
    c.line("    return http.send(request, BodyHandlers.ofString()).body();");
    c.line("  }");
    c.line("}");
    return c.toString();
  }
}
