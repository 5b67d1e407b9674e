package org.align4j.examples.cli;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.util.Args;
import picocli.CommandLine.Option;

/**
 * The privacy options every training command shares. Without {@code --dp-target-epsilon} or
 * {@code --dp-noise-multiplier} a command trains without privacy, as it always did; with one of them it trains by
 * DP-SGD (Poisson sampling, per-example clipping, Gaussian noise, an accountant) and records the privacy spent in
 * the checkpoint's history. {@link #check()} runs before any data is read, {@link #checkDataSize} before training
 * starts, and both before any output is written.
 */
final class PrivacyOptions {

  /** The options of {@link PrivacySettings}' settings, by the names its messages give them. */
  private static final Map<String, String> OPTIONS = Map.of("targetEpsilon", "--dp-target-epsilon",
      "noiseMultiplier", "--dp-noise-multiplier", "delta", "--dp-delta", "clipNorm", "--dp-clip-norm",
      "expectedBatchSize", "--dp-expected-batch-size");
  private static final Pattern SETTING = Pattern.compile("\\b(" + String.join("|", OPTIONS.keySet()) + ")\\b");

  @Option(names = "--dp-target-epsilon", paramLabel = "EPSILON",
      description = "Train privately, with the noise multiplier calibrated so that the run spends this epsilon "
          + "(excludes --dp-noise-multiplier).")
  Double targetEpsilon;

  @Option(names = "--dp-noise-multiplier", paramLabel = "SIGMA",
      description = "Train privately with this noise multiplier (noise standard deviation over the clip norm; "
          + "excludes --dp-target-epsilon).")
  Double noiseMultiplier;

  @Option(names = "--dp-delta", paramLabel = "DELTA",
      description = "Delta of the (epsilon, delta) guarantee, in (0, 1) (default: 1 / the number of training "
          + "examples).")
  Double delta;

  @Option(names = "--dp-clip-norm", paramLabel = "C",
      description = "Bound on each example's gradient norm (default: 1.0).")
  Double clipNorm;

  @Option(names = "--dp-expected-batch-size", paramLabel = "N",
      description = "Expected Poisson batch size; the sampling rate is this over the number of training examples "
          + "(default: --batch-size).")
  Double expectedBatchSize;

  @Option(names = "--dp-accountant", paramLabel = "rdp|pld",
      description = "Privacy accountant: rdp (Renyi DP) or pld (privacy loss distributions) (default: rdp).")
  String accountant;

  /** Whether a private run was asked for. */
  boolean enabled() {
    return targetEpsilon != null || noiseMultiplier != null;
  }

  /**
   * Refuses contradictory or out-of-range privacy options with a message naming the option and its value: both
   * a target epsilon and a noise multiplier, a sub-option without either, and each value outside its range.
   */
  void check() {
    if (!enabled()) {
      String stray = delta != null ? "--dp-delta " + delta : clipNorm != null ? "--dp-clip-norm " + clipNorm
          : expectedBatchSize != null ? "--dp-expected-batch-size " + expectedBatchSize
          : accountant != null ? "--dp-accountant " + accountant : null;
      if (stray != null) {
        throw new IllegalArgumentException(stray + " needs --dp-target-epsilon or --dp-noise-multiplier "
            + "(without either the command trains without privacy)");
      }
      return;
    }
    if (targetEpsilon == null) {
      Args.positive("--dp-noise-multiplier", noiseMultiplier);
    }
    settings(1);
  }

  /**
   * The privacy settings of these options ({@link PrivacySettings#none()} without any), the expected batch size
   * {@code batchSize} unless given; a value the settings refuse is reported under its option's name.
   */
  PrivacySettings settings(int batchSize) {
    if (!enabled()) {
      return PrivacySettings.none();
    }
    PrivacySettings.Builder b = PrivacySettings.builder().expectedBatchSize(expectedBatchSize(batchSize))
        .accountant(accountant());
    if (targetEpsilon != null) {
      b.targetEpsilon(targetEpsilon);
    }
    if (noiseMultiplier != null) {
      b.noiseMultiplier(noiseMultiplier);
    }
    if (delta != null) {
      b.delta(delta);
    }
    if (clipNorm != null) {
      b.clipNorm(clipNorm);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          SETTING.matcher(e.getMessage()).replaceAll(m -> OPTIONS.get(m.group())), e);
    }
  }

  /**
   * Refuses an expected batch size (given, or {@code batchSize} by default) larger than the {@code examples}
   * training examples ({@code unit} names them, e.g. "pairs").
   */
  void checkDataSize(long examples, int batchSize, String unit) {
    double expected = expectedBatchSize(batchSize);
    if (expected > examples) {
      throw new IllegalArgumentException((expectedBatchSize != null ? "--dp-expected-batch-size " + expectedBatchSize
          : "--batch-size " + batchSize + " (the default --dp-expected-batch-size)") + " is larger than the "
          + examples + " training " + unit + "; give a smaller --dp-expected-batch-size");
    }
    if (delta == null && examples < 2) {
      throw new IllegalArgumentException("the default --dp-delta 1/N needs at least 2 training " + unit + ", got "
          + examples + "; give --dp-delta");
    }
  }

  /** Adds what a private run spent to a command's summary: epsilon, delta, sigma, q, steps and the accountant. */
  static void putSpent(Map<String, Object> summary, DpTrainingResult r) {
    summary.put("epsilon", r.epsilon());
    summary.put("delta", r.delta());
    summary.put("noise_multiplier", r.noiseMultiplier());
    summary.put("sampling_rate", r.sampleRate());
    summary.put("dp_steps", r.steps());
    summary.put("accountant", r.accountant().name());
    summary.put("clipped_fraction", r.clippedFraction());
  }

  private double expectedBatchSize(int batchSize) {
    return expectedBatchSize != null ? expectedBatchSize : batchSize;
  }

  private PrivacySettings.Accountant accountant() {
    String name = accountant == null ? "rdp" : accountant.toLowerCase(Locale.ROOT);
    return switch (name) {
      case "rdp" -> PrivacySettings.Accountant.RDP;
      case "pld" -> PrivacySettings.Accountant.PLD;
      default -> throw new IllegalArgumentException("--dp-accountant must be rdp or pld, got " + accountant);
    };
  }
}
