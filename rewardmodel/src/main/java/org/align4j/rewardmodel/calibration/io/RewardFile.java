package org.align4j.rewardmodel.calibration.io;

import java.util.Objects;
import org.align4j.rewardmodel.calibration.RewardPairs;

/**
 * The pairs of one reward model read from a reward file, with what the file says of their source.
 *
 * @param pairs the scored pairs
 * @param rm the reward model's name ({@code rm} column), empty when the file has none
 * @param rmId the reward model's fingerprint ({@code rm_id} column), empty when the file has none
 * @param lengthUnit what the lengths count ({@code length_unit} column, e.g. {@code tokens}), empty when unknown
 */
public record RewardFile(RewardPairs pairs, String rm, String rmId, String lengthUnit) {

  /** Checks that nothing is null. */
  public RewardFile {
    Objects.requireNonNull(pairs, "pairs");
    Objects.requireNonNull(rm, "rm");
    Objects.requireNonNull(rmId, "rmId");
    Objects.requireNonNull(lengthUnit, "lengthUnit");
  }
}
