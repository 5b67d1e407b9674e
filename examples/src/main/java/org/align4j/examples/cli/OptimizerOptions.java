package org.align4j.examples.cli;

import org.align4j.core.train.OptimizerSettings;
import picocli.CommandLine.Option;

/**
 * The optimizer options every training command shares: peak learning rate, warm-up, AdamW weight decay and the
 * global gradient-norm clip of a non-private step. Each command constructs it with its own defaults (the help
 * shows them), so the names are the same everywhere and the defaults stay those of each trainer.
 */
final class OptimizerOptions {

  @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--warmup", paramLabel = "STEPS",
      description = "Linear warm-up steps; for ppo, private runs only (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Option(names = "--weight-decay", paramLabel = "DECAY",
      description = "AdamW decoupled weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--clip-norm", paramLabel = "NORM",
      description = "Largest global gradient norm of a non-private step; with --dp-* options each example's "
          + "gradient is clipped to --dp-clip-norm instead (default: ${DEFAULT-VALUE}).")
  double clipNorm;

  /** The options with a command's defaults. */
  OptimizerOptions(double learningRate, long warmup, double weightDecay, double clipNorm) {
    this.learningRate = learningRate;
    this.warmup = warmup;
    this.weightDecay = weightDecay;
    this.clipNorm = clipNorm;
  }

  /** The optimizer settings these options give (the cosine decay ends at {@link OptimizerSettings}' default). */
  OptimizerSettings settings() {
    return OptimizerSettings.builder().learningRate(learningRate).warmupSteps(warmup).weightDecay(weightDecay)
        .clipNorm(clipNorm).build();
  }
}
