package org.align4j.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs the command line in-process and captures its exit code, standard output and standard error.
 *
 * @param exitCode the exit code
 * @param out what the command printed on standard output
 * @param err what the command printed on standard error
 */
public record CliRun(int exitCode, String out, String err) {

  /** Runs {@code align4j args...}. */
  public static CliRun of(String... args) {
    CommandLine cli = Align4jCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
