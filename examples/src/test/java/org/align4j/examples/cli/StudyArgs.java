package org.align4j.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line of a study in a test: a tiny protocol's options, with overrides and flags, always quiet. */
final class StudyArgs {

  private StudyArgs() {}

  /**
   * {@code study NAME}, then {@code base} (option and value pairs) with {@code more} applied: a word of {@code more}
   * that is in {@code flags} is a flag; any other is an option followed by its value, replacing the base's value.
   */
  static String[] of(String study, String[] base, Set<String> flags, String... more) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < base.length; i += 2) {
      options.put(base[i], base[i + 1]);
    }
    List<String> given = new ArrayList<>(List.of("--quiet"));
    for (int i = 0; i < more.length; i++) {
      if (flags.contains(more[i])) {
        given.add(more[i]);
      } else {
        options.put(more[i], more[++i]);
      }
    }
    List<String> args = new ArrayList<>(List.of("study", study));
    options.forEach((k, v) -> {
      args.add(k);
      args.add(v);
    });
    args.addAll(given);
    return args.toArray(String[]::new);
  }
}
