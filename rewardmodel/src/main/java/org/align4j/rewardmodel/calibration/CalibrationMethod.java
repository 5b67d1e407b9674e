package org.align4j.rewardmodel.calibration;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The calibration methods of Huang et al. (2024) and the length-penalty baseline. */
public enum CalibrationMethod {
  /** RC-LWR: subtract {@code alpha} times the LOWESS fit of reward on the feature over all responses. */
  LWR("lwr"),
  /**
   * RC-Mean: subtract {@code alpha} times the mean reward of the responses whose feature lies within a window of
   * half-width {@code windowRatio * mean|feature_chosen - feature_rejected|}; a pair is calibrated only when both
   * windows hold at least {@code minCount} responses.
   */
  MEAN("mean"),
  /** The length penalty: subtract {@code penaltyCoef} times the penalty feature (prompt plus response length). */
  PENALTY("penalty"),
  /** The length penalty, then RC-LWR on the penalised rewards. */
  LWR_PENALTY("lwr-penalty");

  private final String id;

  CalibrationMethod(String id) {
    this.id = id;
  }

  /** The short name used on the command line and in JSON, e.g. {@code "lwr-penalty"}. */
  public String id() {
    return id;
  }

  /** Whether the method fits a LOWESS curve. */
  public boolean usesLowess() {
    return this == LWR || this == LWR_PENALTY;
  }

  /** Whether the method subtracts a penalty on the penalty feature. */
  public boolean usesPenalty() {
    return this == PENALTY || this == LWR_PENALTY;
  }

  /**
   * The method with this short name (or enum name, any case).
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static CalibrationMethod fromId(String id) {
    for (CalibrationMethod m : values()) {
      if (m.id.equalsIgnoreCase(id) || m.name().equalsIgnoreCase(id)) {
        return m;
      }
    }
    throw new IllegalArgumentException("method must be one of "
        + Arrays.stream(values()).map(CalibrationMethod::id).collect(Collectors.joining(", ")) + ", got " + id);
  }
}
