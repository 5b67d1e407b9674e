package org.align4j.examples.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.align4j.core.privacy.NoiseCalibration;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.privacy.RdpAccountant;

/**
 * One stage's private training settings in one pipeline, resolved and checked before anything is trained: its
 * records, sampling rate, steps and the noise multiplier calibrated for the target epsilon (RDP accountant, as the
 * trainers use). Every stage trains on its own split, so the stages compose in parallel and each may spend the
 * whole target.
 *
 * @param stage {@code sft}, {@code reward} or {@code ppo}
 * @param unit what one record is
 * @param records N
 * @param batch the expected batch size
 * @param sampleRate q = batch / N
 * @param steps DP-SGD steps
 * @param delta the stage's delta
 * @param targetEpsilon the target (infinite for a non-private stage)
 * @param noiseMultiplier the calibrated sigma (0 for a non-private stage)
 */
record DpStagePlan(String stage, String unit, int records, int batch, double sampleRate, long steps, double delta,
    double targetEpsilon, double noiseMultiplier) {

  /** The largest noise multiplier the study accepts: beyond it the stage would learn nothing but noise. */
  static final double MAX_NOISE_MULTIPLIER = 100;

  /**
   * The three stages' plans for {@code targetEpsilon}; problems that do not stop the run are added to
   * {@code warnings} (once per stage and delta).
   *
   * @throws IllegalArgumentException naming the stage and the value: a batch larger than the stage's data, a delta
   *     of at least 1/N under {@code --strict}, or a target needing more noise than {@link #MAX_NOISE_MULTIPLIER}
   */
  static List<DpStagePlan> plan(DpAlignmentConfig c, DpAlignmentData d, double targetEpsilon,
      List<String> warnings) {
    List<DpStagePlan> out = new ArrayList<>();
    out.add(stage(c, "sft", "example", d.sftRecords(), c.sftBatch(), "--sft-batch", c.sftEpochs(), 0,
        targetEpsilon, warnings));
    out.add(stage(c, "reward", "pair", d.pairs().size(), c.rmBatch(), "--rm-batch", c.rmEpochs(), 0, targetEpsilon,
        warnings));
    out.add(stage(c, "ppo", "prompt", d.prompts().size(), c.ppoBatch(), "--ppo-batch", 1, c.ppoSteps(),
        targetEpsilon, warnings));
    return out;
  }

  private static DpStagePlan stage(DpAlignmentConfig c, String stage, String unit, int records, int batch,
      String batchOption, double epochs, long fixedSteps, double targetEpsilon, List<String> warnings) {
    if (batch > records) {
      throw new IllegalArgumentException("stage " + stage + ": " + batchOption + " " + batch + " is larger than its "
          + records + " training " + unit + "s; give a smaller " + batchOption + " or a larger --split-size");
    }
    double q = (double) batch / records;
    long steps = fixedSteps > 0 ? fixedSteps : NoiseCalibration.stepsForEpochs(epochs, q);
    if (c.delta() >= 1.0 / records) {
      String problem = String.format(Locale.ROOT, "stage %s: --delta %s is at least 1/N = %.3g for its %d %ss: "
          + "such a guarantee allows publishing a whole record", stage, c.delta(), 1.0 / records, records, unit);
      if (c.strict()) {
        throw new IllegalArgumentException(problem + " (--strict); give a smaller --delta");
      }
      if (!warnings.contains(problem)) {
        warnings.add(problem);
      }
    }
    boolean open = Double.isInfinite(targetEpsilon) || c.nonPrivateStages().contains(stage);
    if (open) {
      return new DpStagePlan(stage, unit, records, batch, q, steps, c.delta(), Double.POSITIVE_INFINITY, 0);
    }
    double sigma;
    try {
      sigma = NoiseCalibration.forSteps(targetEpsilon, q, steps, c.delta(), RdpAccountant::new).noiseMultiplier();
    } catch (IllegalArgumentException e) {
      sigma = Double.POSITIVE_INFINITY;
    }
    if (sigma > MAX_NOISE_MULTIPLIER) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "--epsilons %s is too small for stage %s: "
          + "%d steps at sampling rate %.4g need a noise multiplier %s (more than %s); give a larger epsilon or "
          + "fewer steps", DpAlignmentConfig.label(targetEpsilon), stage, steps, q,
          Double.isInfinite(sigma) ? "beyond reach" : String.format(Locale.ROOT, "of %.1f", sigma),
          (int) MAX_NOISE_MULTIPLIER));
    }
    return new DpStagePlan(stage, unit, records, batch, q, steps, c.delta(), targetEpsilon, sigma);
  }

  /** Whether the stage trains with privacy. */
  boolean isPrivate() {
    return Double.isFinite(targetEpsilon);
  }

  /**
   * The stage's privacy settings: its target epsilon, or no noise when not private (the DP-SGD path without a
   * guarantee, so every row trains the same way), at this plan's expected batch size and delta.
   */
  PrivacySettings privacy(double clipNorm) {
    PrivacySettings.Builder b =
        PrivacySettings.builder().expectedBatchSize(batch).clipNorm(clipNorm).delta(delta);
    return (isPrivate() ? b.targetEpsilon(targetEpsilon) : b.noiseMultiplier(0)).build();
  }
}
