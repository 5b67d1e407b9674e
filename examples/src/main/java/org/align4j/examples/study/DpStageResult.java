package org.align4j.examples.study;

import java.util.Objects;

/**
 * What one stage of one private pipeline spent, as its trainer's accountant reported it.
 *
 * @param stage {@code sft}, {@code reward} or {@code ppo}
 * @param targetEpsilon the epsilon its noise was calibrated for (infinite for a non-private stage)
 * @param epsilon the epsilon spent at {@code delta} (an upper bound from the accountant; infinite when not private)
 * @param delta the delta of its guarantee
 * @param noiseMultiplier sigma (0 when not private)
 * @param steps DP-SGD steps (sampled batches)
 * @param samplingRate q, the Poisson sampling rate
 * @param records N, the records the stage's guarantee is about (SFT rows, preference pairs, prompts)
 * @param unit what one record is ({@code example}, {@code pair}, {@code prompt})
 * @param seconds wall time of the stage's training
 */
public record DpStageResult(String stage, double targetEpsilon, double epsilon, double delta, double noiseMultiplier,
    long steps, double samplingRate, int records, String unit, double seconds) {

  /** Validates. */
  public DpStageResult {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(unit, "unit");
  }

  /** Whether the stage was trained with privacy. */
  public boolean isPrivate() {
    return Double.isFinite(targetEpsilon);
  }
}
