package org.align4j.examples.cli;

import org.align4j.core.train.ProgressBar;
import org.align4j.core.train.TrainingListener;
import picocli.CommandLine.Option;

/** Whether a training command shows its progress bar ({@code --quiet} turns it off). */
final class ProgressOptions {

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  /** A progress bar labelled {@code label}, or none when quiet. */
  TrainingListener[] listeners(String label) {
    return quiet ? new TrainingListener[0] : new TrainingListener[] {new ProgressBar(label)};
  }
}
