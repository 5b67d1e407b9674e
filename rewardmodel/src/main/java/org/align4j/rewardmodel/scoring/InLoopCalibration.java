package org.align4j.rewardmodel.scoring;

import java.util.Objects;
import org.align4j.rewardmodel.calibration.CalibratedRewardModel;
import org.align4j.rewardmodel.calibration.Calibration;

/**
 * A saved calibration put in a training loop (PPO's reward, best-of-k pair making): the reward the loop sees is
 * the calibrated one. The calibration must name the reward model it was fitted on (its fingerprint) and the unit of
 * its lengths, as {@code calibrate} records them from a reward file written by {@code score}; any other reward model
 * or length unit is refused, since the fitted bias curve would then mean nothing.
 */
public final class InLoopCalibration {

  private InLoopCalibration() {}

  /**
   * The length unit {@code calibration} (read from {@code source}, named in errors) was fitted on.
   *
   * @throws IllegalArgumentException when it names none, or one that is not {@code tokens} or {@code chars}
   */
  public static LengthUnit unitOf(Calibration calibration, String source) {
    String unit = calibration.source().lengthUnit();
    if (unit.isEmpty()) {
      throw new IllegalArgumentException(source + " does not name the length unit it was fitted on; fit it with "
          + "calibrate on a reward file written by score");
    }
    try {
      return LengthUnit.fromId(unit);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code rm} with {@code calibration} applied, its lengths measured in {@code unit} with {@code rm}'s tokenizer.
   *
   * @param source where the calibration was read from, named in errors (for example its file)
   * @throws IllegalArgumentException when the calibration was fitted on another reward model (or names none) or on
   *     lengths in another unit (or names none)
   */
  public static CalibratedRewardModel apply(NamedRewardModel rm, Calibration calibration, LengthUnit unit,
      String source) {
    Objects.requireNonNull(rm, "rm");
    Objects.requireNonNull(unit, "unit");
    String fitted = calibration.source().rewardModelId();
    if (fitted.isEmpty()) {
      throw new IllegalArgumentException(source + " does not name the reward model it was fitted on; fit it with "
          + "calibrate on a reward file written by score");
    }
    if (!fitted.equals(rm.id())) {
      throw new IllegalArgumentException(source + " was fitted on reward model "
          + calibration.source().rewardModelName() + " (" + fitted + "), not on " + rm.name() + " (" + rm.id()
          + "); refit it on this reward model's scores");
    }
    LengthUnit fittedUnit = unitOf(calibration, source);
    if (fittedUnit != unit) {
      throw new IllegalArgumentException(source + " was fitted on lengths in " + fittedUnit.id() + ", not in "
          + unit.id());
    }
    return new CalibratedRewardModel(rm.model(), calibration,
        unit.responseFeature(calibration.featureName(), rm.tokenizer()),
        calibration.method().usesPenalty()
            ? unit.textFeature(calibration.penaltyFeatureName(), rm.tokenizer()) : null);
  }
}
