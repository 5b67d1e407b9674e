package org.align4j.core.privacy;

import java.util.List;

/**
 * A privacy budget plan made by {@link PrivacyPlanner#plan()}: for each stage of a pipeline its share of the
 * budget and the calibrated noise multiplier, for each data set how its stages compose, and the pipeline's total.
 *
 * <p>How the total arises. Stages on the same data set compose <em>sequentially</em>: every record of that data
 * set is seen by each of them, so their privacy losses add up. The planner gives stage i of a data set of k stages
 * the share {@code s_i} of epsilon ({@link BudgetSplit}) and {@code delta / k}; by basic composition the data set
 * is then (sum of the stages' epsilons, delta)-DP, at most the target. The ledger ({@link PrivacyLedger}) composes
 * the stages' histories in one accountant (for RDP: the curves are summed, one conversion at delta), which is
 * usually tighter. Each data set's epsilon is the smaller of the two bounds, both valid. A {@link #tight} plan
 * scales the stages' epsilons up until the accountant's composition reaches the target, and rests on that bound
 * alone. Data sets are disjoint and compose in <em>parallel</em>: a record belongs to one data set, and a stage on
 * another data set depends on it only through the models that earlier stages trained on it (post-processing), so
 * each data set gets the whole budget and the pipeline's epsilon is the largest over data sets.
 *
 * @param targetEpsilon the total epsilon asked for
 * @param delta the total delta asked for (every data set's guarantee is at this delta)
 * @param accountant the accountant's name ({@code rdp} or {@code pld})
 * @param split the split rule's label ({@link BudgetSplit#label()})
 * @param tight whether the stages' epsilons were scaled up to the accountant's composition
 *     ({@link PrivacyPlanner.Builder#tight})
 * @param stages one entry per stage, in the planner's order
 * @param dataSets one entry per data set, in order of first appearance
 * @param ledgerEpsilon the ledger's total: the largest over data sets of the accountant's sequential composition
 * @param epsilon the pipeline's guarantee at {@code delta}: the largest over data sets of the smaller of the
 *     ledger's composition and the sum of the stages' epsilons; at most {@code targetEpsilon}
 * @param warnings warnings about the inputs (for example delta not below 1/N), one line each
 */
public record PrivacyPlan(
    double targetEpsilon, double delta, String accountant, String split, boolean tight, List<StagePlan> stages,
    List<DataSetPlan> dataSets, double ledgerEpsilon, double epsilon, List<String> warnings) {

  /** The rule of parallel composition, as the plan states it. */
  public static final String PARALLEL_RULE = "data sets are disjoint and compose in parallel: a record belongs to "
      + "one data set only, so each data set gets the whole budget and the pipeline's epsilon is the largest over "
      + "data sets";

  /** Copies the lists. */
  public PrivacyPlan {
    stages = List.copyOf(stages);
    dataSets = List.copyOf(dataSets);
    warnings = List.copyOf(warnings);
  }

  /**
   * One stage's part of the plan.
   *
   * @param name the stage's name
   * @param dataset the identity of its data set
   * @param dataSize N, the size of its data set
   * @param batchSize its expected batch size
   * @param sampleRate q = batchSize / dataSize (Poisson sampling)
   * @param steps its steps
   * @param share its share of its data set's epsilon
   * @param targetEpsilon the epsilon it is calibrated to: {@code share * total epsilon}, times its data set's scale
   * @param delta its delta: the total delta over the number of stages on its data set
   * @param noiseMultiplier the calibrated noise multiplier ({@link NoiseCalibration#forSteps}, as
   *     {@code privacy noise} computes it)
   * @param epsilon the epsilon the stage alone spends at {@code delta} with that noise (at most its target)
   */
  public record StagePlan(
      String name, String dataset, long dataSize, long batchSize, double sampleRate, long steps, double share,
      double targetEpsilon, double delta, double noiseMultiplier, double epsilon) {}

  /**
   * One data set's part of the plan.
   *
   * @param dataset its identity
   * @param stages the names of the stages on it, in order
   * @param composition {@code alone} (one stage) or {@code sequential}
   * @param scale the factor on its stages' shares of epsilon: 1, or above 1 for a tight plan
   * @param ledgerEpsilon the accountant's composition of its stages' histories at the plan's delta
   * @param basicCompositionEpsilon the sum of its stages' epsilons (each at its own delta, which sum to the
   *     plan's delta)
   * @param epsilon its guarantee at the plan's delta: the smaller of the two
   * @param explanation why its stages compose as they do, in one sentence
   */
  public record DataSetPlan(
      String dataset, List<String> stages, String composition, double scale, double ledgerEpsilon,
      double basicCompositionEpsilon, double epsilon, String explanation) {

    /** Copies the list. */
    public DataSetPlan {
      stages = List.copyOf(stages);
    }
  }
}
