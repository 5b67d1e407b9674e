package org.align4j.core.privacy;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The (epsilon, delta) guarantee of a multi-stage pipeline ({@link PrivacyLedger#report}) and how it arises.
 *
 * @param epsilon the pipeline's epsilon: the largest over data sets (parallel composition); infinite when a data set
 *     that a private stage trained on was also used by a non-private stage, or when no stage was private
 * @param delta the delta everything is reported at
 * @param datasets one entry per data set, in order of first appearance
 * @param stages one entry per stage, in ledger order
 */
public record PrivacyReport(double epsilon, double delta, List<DatasetShare> datasets, List<StageShare> stages) {

  /** Copies the lists. */
  public PrivacyReport {
    datasets = List.copyOf(datasets);
    stages = List.copyOf(stages);
  }

  /**
   * The guarantee for one data set: the sequential composition of the stages that use it.
   *
   * @param dataset the data set's identity
   * @param stages the names of its stages, in order (private ones first, then non-private ones)
   * @param epsilon its epsilon at the report's delta (histories composed under each kind of accountant among its
   *     stages; the smallest, as each is an upper bound); infinite when a non-private stage used it
   * @param naiveSumEpsilon when the stages use different accountants: the sum of their epsilons, each at
   *     delta / (number of stages), a looser upper bound by basic composition
   * @param binding whether this data set attains the pipeline's epsilon
   */
  public record DatasetShare(
      String dataset, List<String> stages, double epsilon, OptionalDouble naiveSumEpsilon, boolean binding) {

    /** Copies the list. */
    public DatasetShare {
      stages = List.copyOf(stages);
    }
  }

  /**
   * One stage's part.
   *
   * @param stage the stage's name
   * @param dataset its data set
   * @param accountant its accountant's name; {@code "none"} for a non-private stage
   * @param steps its total steps
   * @param epsilon its epsilon alone at the report's delta (infinite for a non-private stage)
   * @param share its epsilon over the sum of the epsilons of its data set's private stages (1 for a stage
   *     alone); where a non-private stage used the data set, 0 for the private stages and an equal share for the
   *     non-private ones
   */
  public record StageShare(
      String stage, String dataset, String accountant, long steps, double epsilon, double share) {}
}
