package org.align4j.examples.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.align4j.core.train.TrainingDivergedException;
import org.align4j.core.util.OpenMpWaitPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code align4j} command line. Exit codes: 0 on success, 2 on bad usage or bad input (one line on standard
 * error naming the problem), 1 on internal failure.
 */
@Command(
    name = "align4j",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Align language models and audit what they memorized.",
    subcommands = {CommandLine.HelpCommand.class, QuickstartCommand.class, TrainLmCommand.class,
        TrainRmCommand.class, GenerateCommand.class, AuditCommand.class, CalibrateCommand.class,
        PrivacyCommand.class, DpoCommand.class, PpoCommand.class, InspectCommand.class, ImportCommand.class,
        ExportCommand.class, StudyCommand.class, ScoreCommand.class, MakePairsCommand.class,
        WinrateCommand.class})
public final class Align4jCli implements Runnable {

  /** Exit code for bad usage or bad input. */
  public static final int EXIT_BAD_INPUT = 2;
  /** Exit code for an internal failure. */
  public static final int EXIT_INTERNAL = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** Builds the command line with every subcommand registered. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Align4jCli());
    cli.setExecutionExceptionHandler(Align4jCli::handleExecutionException);
    cli.setParameterExceptionHandler(Align4jCli::handleParameterException);
    return cli;
  }

  /** Runs the command line and returns its exit code (for tests and embedding). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** Entry point. */
  public static void main(String[] args) {
    if (System.getProperty("org.nd4j.log.initialization") == null) {
      System.setProperty("org.nd4j.log.initialization", "false");
    }
    OpenMpWaitPolicy.passive(); // before any command loads ND4J
    System.exit(execute(args));
  }

  private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + withoutErrorPrefix(e.getMessage()));
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return EXIT_BAD_INPUT;
  }

  private static int handleExecutionException(
      Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    if (isBadInput(e)) {
      err.println("error: " + oneLine(e));
      err.flush();
      return EXIT_BAD_INPUT;
    }
    err.println("internal error: " + oneLine(e));
    e.printStackTrace(err);
    err.flush();
    return EXIT_INTERNAL;
  }

  /** Bad input: invalid arguments or data, a file that cannot be read, or settings under which training diverged. */
  static boolean isBadInput(Throwable e) {
    return e instanceof IllegalArgumentException
        || e instanceof TrainingDivergedException
        || e instanceof NoSuchFileException
        || (e instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException);
  }

  /** Picocli starts some messages with "Error: "; the handler already says "error: ". */
  static String withoutErrorPrefix(String message) {
    return message.startsWith("Error: ") ? message.substring("Error: ".length()) : message;
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replace('\n', ' ');
  }
}
