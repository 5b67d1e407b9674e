package org.align4j.core.data.synthetic;

import static org.align4j.core.data.synthetic.Words.between;
import static org.align4j.core.data.synthetic.Words.decimal;
import static org.align4j.core.data.synthetic.Words.snake;
import static org.align4j.core.data.synthetic.Words.upper;

import java.util.List;
import java.util.Random;

/** Templates of Python-like helper functions and classes. */
final class PythonTemplates {

  static final List<Template> ALL = List.of(
      new Template("py_parse", "python", PythonTemplates::parse),
      new Template("py_validate", "python", PythonTemplates::validate),
      new Template("py_convert", "python", PythonTemplates::convert),
      new Template("py_compute", "python", PythonTemplates::compute),
      new Template("py_config_loader", "python", PythonTemplates::configLoader),
      new Template("py_http_client", "python", PythonTemplates::httpClient));

  private PythonTemplates() {}

  /** A local assignment or a comment carrying the PII value, indented by {@code indent}; empty without PII. */
  private static void pii(Code c, Random r, Pii pii, String indent) {
    if (pii == null) {
      return;
    }
    if (r.nextBoolean()) {
      c.line(indent, pii.constant(), " = \"", pii.value(), "\"");
    } else {
      c.line(indent, "# ", pii.constant().replace('_', ' '), ": ", pii.value());
    }
  }

  private static String parse(Random r, Pii pii) {
    String noun = Words.noun(r);
    String[] f = Words.fields(r, 3);
    String sep = Words.pick(r, new String[] {",", ";", "|", ":", "\\t"});
    String name = snake(Words.pick(r, new String[] {"parse", "read", "decode", "split"}), noun, Words.pick(r, new String[] {
        "line", "record", "row", "header", "entry"}));
    Code c = new Code();
    c.line("def ", name, "(raw: str) -> dict:");
    c.line("    \"\"\"Parse a ", noun, " line such as '", f[0], sep, f[1], sep, f[2], "'.\"\"\"");
    pii(c, r, pii, "    ");
    c.line("    parts = [p.strip() for p in raw.split(\"", sep, "\")]");
    c.line("    if len(parts) < ", 3, ":");
    c.line("        raise ValueError(f\"", noun, ": expected 3 fields, got {len(parts)}\")");
    c.line("    return {");
    c.line("        \"", f[0], "\": parts[0]", r.nextBoolean() ? ".lower()" : "", ",");
    c.line("        \"", f[1], "\": int(parts[1]) % ", between(r, 7, 9973), ",");
    c.line("        \"", f[2], "\": float(parts[2] or ", decimal(r, 0, 100, 2), "),");
    c.line("    }");
    return c.toString();
  }

  private static String validate(Random r, Pii pii) {
    String noun = Words.noun(r);
    String arg = r.nextBoolean() ? noun : "data";
    String[] f = Words.fields(r, 3);
    String maxName = upper("max", f[0], "length");
    String allowedName = upper("allowed", f[1], "values");
    int max = between(r, 8, 512);
    int min = between(r, 0, 99);
    Code c = new Code();
    c.line("def ", snake(Words.pick(r, new String[] {"validate", "check", "verify"}), noun), "(", arg, "):");
    c.line("    \"\"\"Return the problems found in a ", noun, ".\"\"\"");
    c.line("    ", maxName, " = ", max);
    String[] allowed = Words.twoAdjectives(r);
    c.line("    ", allowedName, " = {\"", allowed[0], "\", \"", allowed[1], "\"}");
    pii(c, r, pii, "    ");
    c.line("    errors = []");
    c.line("    if len(", arg, ".get(\"", f[0], "\", \"\")) > ", maxName, ":");
    c.line("        errors.append(\"", f[0], " longer than ", max, "\")");
    c.line("    if ", arg, ".get(\"", f[1], "\") not in ", allowedName, ":");
    c.line("        errors.append(\"unknown ", f[1], ": %s\" % ", arg, ".get(\"", f[1], "\"))");
    c.line("    if ", arg, ".get(\"", f[2], "\", 0) < ", min, ":");
    c.line("        errors.append(\"", f[2], " below ", min, "\")");
    c.line("    return errors");
    return c.toString();
  }

  private static String convert(Random r, Pii pii) {
    String from = Words.unit(r);
    String to = Words.unit(r);
    String factorName = upper(from, "per", to);
    String factor = decimal(r, 0.001, 1000, between(r, 2, 6));
    String offset = Words.plusOrMinus(r, 50, 1);
    Code c = new Code();
    c.line("def ", snake(from, "to", to), "(value, precision=", between(r, 0, 6), "):");
    c.line("    \"\"\"Convert ", from, " to ", to, " (factor ", factor, ", offset ", offset, ").\"\"\"");
    c.line("    ", factorName, " = ", factor);
    pii(c, r, pii, "    ");
    c.line("    if value is None:");
    c.line("        return ", r.nextBoolean() ? "None" : "0.0");
    c.line("    if isinstance(value, str):");
    c.line("        value = float(value.replace(\"", r.nextBoolean() ? "," : "_", "\", \"\"))");
    c.line("    result = value * ", factorName, " ", offset);
    c.line("    return round(result, precision)");
    return c.toString();
  }

  private static String compute(Random r, Pii pii) {
    String adjective = Words.adjective(r);
    String noun = Words.noun(r);
    String field = Words.fields(r, 1)[0];
    String weight = decimal(r, 0.1, 5, 2);
    String threshold = decimal(r, 0, 50, 1);
    Code c = new Code();
    c.line("def ", snake("compute", adjective, noun, "score"), "(items, weight=", weight, "):");
    c.line("    \"\"\"Weighted ", adjective, " score of ", noun, " items, skipping ", field, " below ", threshold,
        ".\"\"\"");
    pii(c, r, pii, "    ");
    c.line("    total = 0.0");
    c.line("    count = 0");
    c.line("    for item in items:");
    c.line("        value = item.get(\"", field, "\", ", between(r, 0, 9), ")");
    c.line("        if value < ", threshold, ":");
    c.line("            continue");
    c.line("        total += value * weight", r.nextBoolean() ? " ** 2" : "");
    c.line("        count += 1");
    c.line("    return total / max(count, 1) ", Words.plusOrMinus(r, 5, 3));
    return c.toString();
  }

  private static String configLoader(Random r, Pii pii) {
    String noun = Words.noun(r);
    String[] k = Words.fields(r, 3);
    String defaults = upper("default", noun, "config");
    String env = upper("app", noun, k[0]);
    Code c = new Code();
    c.line("def ", snake("load", noun, "config"), "(path=\"", Words.pick(r, new String[] {"/etc", "conf", "~/.config"}),
        "/", noun, "_", Words.adjective(r), ".json\"):");
    c.line("    \"\"\"Load ", noun, " settings from a JSON file, falling back to defaults.\"\"\"");
    c.line("    ", defaults, " = {");
    c.line("        \"", k[0], "\": ", between(r, 1, 10000), ",");
    c.line("        \"", k[1], "\": \"", Words.adjective(r), "\",");
    c.line("        \"", k[2], "\": ", r.nextBoolean() ? "True" : "False", ",");
    if (pii != null) {
      c.line("        \"", pii.constant(), "\": \"", pii.value(), "\",");
    }
    c.line("    }");
    c.line("    config = dict(", defaults, ")");
    c.line("    if os.path.exists(path):");
    c.line("        with open(path, encoding=\"utf-8\") as fh:");
    c.line("            config.update(json.load(fh))");
    c.line("    config.setdefault(\"", k[0], "\", os.environ.get(\"", env, "\"))");
    c.line("    return config");
    return c.toString();
  }

  private static String httpClient(Random r, Pii pii) {
    String noun = Words.noun(r);
    String field = Words.fields(r, 1)[0];
    String className = Words.pascal(Words.adjective(r), noun, "client");
    Code c = new Code();
    c.line("class ", className, ":");
    c.line("    \"\"\"Minimal client for the ", noun, " service.\"\"\"");
    c.line();
    c.line("    def __init__(self, base_url=\"https://", Words.host(r), "/v", between(r, 1, 4), "\", timeout=",
        between(r, 2, 60), "):");
    c.line("        self.timeout = timeout");
    c.line("        self.session = requests.Session()");
    if (pii != null && pii.type().equals("api_key")) {
      c.line("        self.session.headers[\"Authorization\"] = \"Bearer ", pii.value(), "\"");
    } else {
      pii(c, r, pii, "        ");
    }
    c.line();
    c.line("    def ", snake("get", noun), "(self, ", noun, "_id):");
    c.line("        url = f\"{self.base_url}/", noun, "s/{", noun, "_id}\"");
    c.line("        response = self.session.get(url, timeout=self.timeout)");
    c.line("        response.raise_for_status()");
    c.line("        return response.json().get(\"", field, "\", ", between(r, 0, 100), ")");
    return c.toString();
  }
}
