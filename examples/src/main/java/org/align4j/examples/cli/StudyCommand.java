package org.align4j.examples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code align4j study}: studies that chain the training stages and audit each one. */
@Command(
    name = "study",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Studies that train every stage of a protocol and audit each one.",
    subcommands = {StudyRlhfMemorizationCommand.class, StudyDpAlignmentCommand.class,
        StudyLengthBiasCommand.class, StudyOveroptimizationCommand.class})
public final class StudyCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: one of "
        + String.join(", ", spec.subcommands().keySet()));
  }
}
