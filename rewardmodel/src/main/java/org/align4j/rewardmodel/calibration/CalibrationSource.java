package org.align4j.rewardmodel.calibration;

import java.util.Objects;

/**
 * What a calibration was fitted on: the reward model (its name and fingerprint) and the unit of the lengths (for
 * example {@code tokens} or {@code chars}). An empty string means unknown. A calibration applied in a training loop
 * must match the reward model and the unit it is applied with.
 *
 * @param rewardModelName the reward model's name, or empty
 * @param rewardModelId the reward model's fingerprint, or empty
 * @param lengthUnit the lengths' unit, or empty
 */
public record CalibrationSource(String rewardModelName, String rewardModelId, String lengthUnit) {

  /** Nothing known. */
  public static final CalibrationSource UNKNOWN = new CalibrationSource("", "", "");

  /** Reads a null as empty. */
  public CalibrationSource {
    rewardModelName = Objects.requireNonNullElse(rewardModelName, "");
    rewardModelId = Objects.requireNonNullElse(rewardModelId, "");
    lengthUnit = Objects.requireNonNullElse(lengthUnit, "");
  }
}
