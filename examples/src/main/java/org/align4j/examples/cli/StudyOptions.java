package org.align4j.examples.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options every {@code study} shares: its seed, JSON or table output, and progress on standard error. */
final class StudyOptions {

  @Option(names = "--seed", defaultValue = "7", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object with the whole study.")
  boolean json;

  @Option(names = "--quiet", description = "No progress on standard error.")
  boolean quiet;

  /** Where the study's progress goes: standard error, or nowhere with {@code --quiet}. */
  PrintStream progress() {
    return quiet ? new PrintStream(OutputStream.nullOutputStream()) : new PrintStream(System.err, true);
  }

  /** Prints the study's result on the command's standard output: its JSON with {@code --json}, else its table. */
  void print(CommandSpec spec, Supplier<String> jsonText, Supplier<String> table) {
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? jsonText.get() + "\n" : table.get());
    out.flush();
  }

  /** Passes an option's value to a builder's setter when the option was given ({@code value} not null). */
  static <T> void ifGiven(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
