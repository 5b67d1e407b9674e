package org.align4j.examples.cli;

import org.align4j.core.train.EpochTrainerBuilder;
import picocli.CommandLine.Option;

/** How long a training command over a fixed data set trains (train-lm, train-rm, dpo): epochs, or fixed steps. */
final class EpochOptions {

  @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--steps", defaultValue = "0",
      description = "Fixed number of steps instead of epochs (default: ${DEFAULT-VALUE} = use epochs).")
  long steps;

  /** {@code builder} with these epochs and steps. */
  <B extends EpochTrainerBuilder<B>> B applyTo(B builder) {
    return builder.epochs(epochs).maxSteps(steps);
  }
}
