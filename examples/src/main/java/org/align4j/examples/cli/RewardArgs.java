package org.align4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.calibration.Calibration;
import org.align4j.rewardmodel.scoring.InLoopCalibration;
import org.align4j.rewardmodel.scoring.LengthUnit;
import org.align4j.rewardmodel.scoring.NamedRewardModel;

/**
 * The reward a loop sees ({@code ppo}, {@code make-pairs}): a built-in reward or a reward-model checkpoint, and with
 * {@code --calibration} the checkpoint's reward calibrated by a saved calibration that must have been fitted on that
 * reward model (refused otherwise, as is a calibration that does not name its reward model and length unit).
 */
final class RewardArgs {

  private RewardArgs() {}

  /**
   * The reward {@code spec} given with {@code option}, calibrated by {@code calibrationFile} when not null.
   *
   * @throws IllegalArgumentException naming the option or the file for any bad input
   */
  static RewardModel reward(String option, String spec, Path calibrationFile) {
    if (calibrationFile == null) {
      return BuiltInRewards.parse(option, spec);
    }
    InputFiles.requireFile("--calibration", calibrationFile);
    Path path = Path.of(spec);
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("--calibration needs " + option + " to be a reward-model checkpoint (the "
          + "one it was fitted on), got " + spec);
    }
    Calibration calibration = Calibration.load(calibrationFile);
    NamedRewardModel rm = named(option, path);
    String source = "--calibration " + calibrationFile;
    return InLoopCalibration.apply(rm, calibration, InLoopCalibration.unitOf(calibration, source), source);
  }

  /** The reward-model checkpoint at {@code path}, named by its file name (without {@code .zip}). */
  static NamedRewardModel named(String option, Path path) {
    return NamedRewardModel.of(name(path), CheckpointArgs.rewardModel(option, path));
  }

  /** A checkpoint's name: its file name without {@code .zip}. */
  static String name(Path path) {
    Path file = path.toAbsolutePath().normalize().getFileName();
    String name = file == null ? path.toString() : file.toString();
    return name.toLowerCase(Locale.ROOT).endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
  }
}
