package org.align4j.examples.study;

import java.util.List;
import java.util.Objects;

/**
 * One private pipeline of the study: DP SFT, a DP reward model from it and DP PPO against that reward model, all
 * calibrated for one target epsilon.
 *
 * @param targetEpsilon the target epsilon of every private stage (infinite for the non-private run)
 * @param stages what each stage spent, in order
 * @param ledgerEpsilon the privacy ledger's epsilon, composed from the final policy's history: the guarantee for
 *     the records of the data sets that private stages trained on (infinite when no stage was private)
 * @param totalEpsilon the pipeline's epsilon: the ledger's when every stage was private, else infinite (a stage
 *     trained without privacy leaves its records without a guarantee)
 * @param totalDelta the delta the total is reported at
 * @param utility each stage's held-out utility
 * @param audits the memorization audits of the SFT model and of the PPO policy
 */
public record DpEpsilonRow(double targetEpsilon, List<DpStageResult> stages, double ledgerEpsilon,
    double totalEpsilon, double totalDelta,
    DpUtility utility, List<DpModelAudit> audits) {

  /** Validates and copies. */
  public DpEpsilonRow {
    stages = List.copyOf(stages);
    Objects.requireNonNull(utility, "utility");
    audits = List.copyOf(audits);
  }

  /** The stages trained without privacy, by name. */
  public List<String> nonPrivateStages() {
    return stages.stream().filter(s -> !s.isPrivate()).map(DpStageResult::stage).toList();
  }
}
