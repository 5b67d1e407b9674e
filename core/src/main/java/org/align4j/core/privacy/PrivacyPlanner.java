package org.align4j.core.privacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.align4j.core.util.Args;

/**
 * Plans the privacy budget of a multi-stage DP-SGD pipeline (for example DP SFT, a DP reward model and DP PPO, as in
 * Wu et al. 2023): given a total (epsilon, delta) and each stage's data set, data size, expected batch size and
 * steps, splits the budget ({@link BudgetSplit}), calibrates each stage's noise multiplier with
 * {@link NoiseCalibration} and composes the stages in a {@link PrivacyLedger}. {@link PrivacyPlan} explains the
 * composition rule.
 *
 * <pre>{@code
 * PrivacyPlan plan = PrivacyPlanner.builder()
 *     .total(4, 1e-6)
 *     .stage("sft", 50_000, 256, 2_000, "sft-data")
 *     .stage("reward", 20_000, 128, 1_000, "preferences")
 *     .stage("ppo", 20_000, 64, 500, "preferences")
 *     .split(BudgetSplit.proportional())
 *     .build()
 *     .plan();
 * }</pre>
 */
public final class PrivacyPlanner {

  /** The default bound on a calibrated noise multiplier: a share that needs more noise is refused. */
  public static final double DEFAULT_MAX_NOISE_MULTIPLIER = 100;

  /**
   * One stage to plan.
   *
   * @param name unique within the plan
   * @param dataSize N, the number of records (examples, pairs or prompts) of its data set, {@code > 0}
   * @param batchSize the expected batch size, in (0, N]; the sampling rate is {@code batchSize / N} (Poisson)
   * @param steps its steps, {@code > 0}
   * @param dataset the identity of its data set: stages with the same identity compose sequentially, stages with
   *     different ones in parallel
   */
  public record StageSpec(String name, long dataSize, long batchSize, long steps, String dataset) {

    /** Validates the fields; messages name the stage. */
    public StageSpec {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(dataset, "dataset");
      Args.check(!name.isBlank(), "stage name must not be blank");
      if (dataset.isBlank()) {
        throw new IllegalArgumentException("stage " + name + ": dataset must not be blank");
      }
      if (dataSize <= 0) {
        throw new IllegalArgumentException("stage " + name + ": data size N must be > 0, got " + dataSize);
      }
      if (batchSize <= 0) {
        throw new IllegalArgumentException("stage " + name + ": batch size must be > 0, got " + batchSize);
      }
      if (batchSize > dataSize) {
        throw new IllegalArgumentException("stage " + name + ": batch size " + batchSize
            + " is larger than its data size N = " + dataSize);
      }
      if (steps <= 0) {
        throw new IllegalArgumentException("stage " + name + ": steps must be > 0, got " + steps);
      }
    }

    /** The sampling rate {@code batchSize / dataSize}. */
    public double sampleRate() {
      return (double) batchSize / dataSize;
    }
  }

  private final double epsilon;
  private final double delta;
  private final List<StageSpec> stages;
  private final BudgetSplit split;
  private final Supplier<? extends PrivacyAccountant> accountants;
  private final double maxNoiseMultiplier;
  private final boolean tight;
  private final List<String> warnings;

  private PrivacyPlanner(Builder b, List<String> warnings) {
    this.epsilon = b.epsilon;
    this.delta = b.delta;
    this.stages = List.copyOf(b.stages);
    this.split = b.split;
    this.accountants = b.accountants;
    this.maxNoiseMultiplier = b.maxNoiseMultiplier;
    this.tight = b.tight;
    this.warnings = List.copyOf(warnings);
  }

  /** A builder: {@link Builder#total} and at least one {@link Builder#stage} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The warnings about the inputs found when the planner was built (empty under {@link Builder#strict}). */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * Splits the budget, calibrates each stage and composes them.
   *
   * @throws IllegalArgumentException naming the stage when its share of epsilon would need a noise multiplier above
   *     the bound ({@link Builder#maxNoiseMultiplier})
   */
  public PrivacyPlan plan() {
    Map<String, List<Integer>> byDataset = new LinkedHashMap<>();
    for (int i = 0; i < stages.size(); i++) {
      byDataset.computeIfAbsent(stages.get(i).dataset(), k -> new ArrayList<>()).add(i);
    }
    PrivacyPlan.StagePlan[] planned = new PrivacyPlan.StagePlan[stages.size()];
    Map<String, Double> scales = new LinkedHashMap<>();
    PrivacyLedger ledger = new PrivacyLedger();
    for (Map.Entry<String, List<Integer>> group : byDataset.entrySet()) {
      List<Integer> members = group.getValue();
      DataSetBudget budget = new DataSetBudget(members.stream().map(stages::get).toList(), epsilon, delta,
          accountants, maxNoiseMultiplier);
      double[] shares = budget.shares(split.rule(), split.rule() == BudgetSplit.Rule.GIVEN
          ? members.stream().mapToDouble(i -> split.givenShares().get(i)).toArray() : null);
      double scale = tight ? budget.tightScale(shares) : 1;
      scales.put(group.getKey(), scale);
      NoiseCalibration.Result[] results = budget.calibrate(shares, scale);
      for (int j = 0; j < members.size(); j++) {
        StageSpec stage = stages.get(members.get(j));
        NoiseCalibration.Result r = results[j];
        planned[members.get(j)] = new PrivacyPlan.StagePlan(stage.name(), stage.dataset(), stage.dataSize(),
            stage.batchSize(), stage.sampleRate(), stage.steps(), shares[j], r.targetEpsilon(), r.delta(),
            r.noiseMultiplier(), r.epsilon());
      }
    }
    String accountantName = accountants.get().name();
    for (PrivacyPlan.StagePlan stage : planned) {
      ledger.addStage(stage.name(), stage.dataset(),
          accountants.get().add(stage.noiseMultiplier(), stage.sampleRate(), stage.steps()));
    }
    PrivacyReport report = ledger.report(delta);
    List<PrivacyPlan.DataSetPlan> dataSets = new ArrayList<>();
    double total = 0;
    for (PrivacyReport.DatasetShare share : report.datasets()) {
      double basic = 0;
      for (int i : byDataset.get(share.dataset())) {
        basic += planned[i].epsilon();
      }
      double guarantee = Math.min(share.epsilon(), basic);
      total = Math.max(total, guarantee);
      double scale = scales.get(share.dataset());
      dataSets.add(new PrivacyPlan.DataSetPlan(share.dataset(), share.stages(),
          share.stages().size() == 1 ? "alone" : "sequential", scale, share.epsilon(), basic, guarantee,
          explain(share.dataset(), share.stages(), scale)));
    }
    return new PrivacyPlan(epsilon, delta, accountantName, split.label(), tight, List.of(planned), dataSets,
        report.epsilon(), total, warnings);
  }

  private static String explain(String dataset, List<String> names, double scale) {
    if (names.size() == 1) {
      return "stage " + names.get(0) + " alone trains on data set " + dataset
          + ": it gets the whole budget (parallel composition with the other data sets)";
    }
    String why = "stages " + String.join(", ", names) + " all train on data set " + dataset
        + ": each of its records is seen by every one of them, so they compose sequentially";
    if (scale > 1) {
      return why + String.format(Locale.ROOT, " (delta split equally; epsilon shares scaled by %.4f so that the "
          + "accountant's composition of their histories reaches the total)", scale);
    }
    return why + " (epsilon shares sum to the total and delta is split equally: basic composition; the accountant's "
        + "composition of their histories is the ledger's figure)";
  }

  /** Builds a {@link PrivacyPlanner}; defaults: equal split, RDP accountant, noise bound 100, not strict, not tight. */
  public static final class Builder {
    private boolean totalGiven;
    private double epsilon;
    private double delta;
    private final List<StageSpec> stages = new ArrayList<>();
    private BudgetSplit split = BudgetSplit.equal();
    private Supplier<? extends PrivacyAccountant> accountants = RdpAccountant::new;
    private double maxNoiseMultiplier = DEFAULT_MAX_NOISE_MULTIPLIER;
    private boolean strict;
    private boolean tight;

    private Builder() {}

    /**
     * The pipeline's total budget (required).
     *
     * @param epsilon finite and {@code > 0}
     * @param delta in (0, 1)
     */
    public Builder total(double epsilon, double delta) {
      Args.positive("epsilon", epsilon);
      this.epsilon = Args.finite("epsilon", epsilon);
      this.delta = PrivacyAccountant.checkDelta(delta);
      this.totalGiven = true;
      return this;
    }

    /** Adds a stage (see {@link StageSpec}); names must be unique. */
    public Builder stage(String name, long dataSize, long batchSize, long steps, String dataset) {
      return stage(new StageSpec(name, dataSize, batchSize, steps, dataset));
    }

    /** Adds a stage; names must be unique. */
    public Builder stage(StageSpec stage) {
      Objects.requireNonNull(stage, "stage");
      for (StageSpec existing : stages) {
        if (existing.name().equals(stage.name())) {
          throw new IllegalArgumentException("stage name must be unique, got " + stage.name() + " twice");
        }
      }
      stages.add(stage);
      return this;
    }

    /** How epsilon is divided among the stages of a data set (default {@link BudgetSplit#equal()}). */
    public Builder split(BudgetSplit split) {
      this.split = Objects.requireNonNull(split, "split");
      return this;
    }

    /** Makes a fresh, empty accountant for each calibration and stage (default {@code RdpAccountant::new}). */
    public Builder accountants(Supplier<? extends PrivacyAccountant> accountants) {
      this.accountants = Objects.requireNonNull(accountants, "accountants");
      return this;
    }

    /**
     * The largest noise multiplier a stage may need (default 100); a smaller share is refused as too small.
     *
     * @param maxNoiseMultiplier in (0, {@link NoiseCalibration#MAX_NOISE_MULTIPLIER}]
     */
    public Builder maxNoiseMultiplier(double maxNoiseMultiplier) {
      this.maxNoiseMultiplier =
          Args.inOpenClosed("maxNoiseMultiplier", maxNoiseMultiplier, 0, NoiseCalibration.MAX_NOISE_MULTIPLIER);
      return this;
    }

    /** Whether a warning (delta not below 1/N for a stage's data size) refuses the plan (default false). */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Whether to scale the epsilons of the stages of each data set by one factor (at least 1) so that the
     * accountant's composition of their histories reaches the total epsilon (default false). Without it the
     * stages' epsilons sum to the total (basic composition), and the accountant's composition, which pays the
     * cost of delta once, usually stays well below the total: budget left unused. With it each stage gets less
     * noise and the guarantee rests on the accountant's composition alone.
     */
    public Builder tight(boolean tight) {
      this.tight = tight;
      return this;
    }

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException when the total is missing, there is no stage, the given shares do not
     *     match the stages or do not sum to 1 on a data set, or (when strict) delta is not below 1/N for a stage
     */
    public PrivacyPlanner build() {
      Args.check(totalGiven, "the total (epsilon, delta) is required");
      Args.check(!stages.isEmpty(), "a plan needs at least one stage");
      if (split.rule() == BudgetSplit.Rule.GIVEN) {
        checkShares();
      }
      List<String> warnings = new ArrayList<>();
      for (StageSpec stage : stages) {
        if (delta * stage.dataSize() >= 1) {
          String warning = String.format(Locale.ROOT, "stage %s: delta %s is not below 1/N = %.3g (N = %d): a "
              + "mechanism that publishes a random record outright is (0, 1/N)-DP; choose delta well below 1/N",
              stage.name(), delta, 1.0 / stage.dataSize(), stage.dataSize());
          if (strict) {
            throw new IllegalArgumentException(warning);
          }
          warnings.add(warning);
        }
      }
      return new PrivacyPlanner(this, warnings);
    }

    private void checkShares() {
      List<Double> shares = split.givenShares();
      if (shares.size() != stages.size()) {
        throw new IllegalArgumentException(
            "shares must give one share per stage: " + shares.size() + " shares for " + stages.size() + " stages");
      }
      Map<String, Double> sums = new LinkedHashMap<>();
      Map<String, List<String>> names = new LinkedHashMap<>();
      for (int i = 0; i < stages.size(); i++) {
        sums.merge(stages.get(i).dataset(), shares.get(i), Double::sum);
        names.computeIfAbsent(stages.get(i).dataset(), k -> new ArrayList<>()).add(stages.get(i).name());
      }
      for (Map.Entry<String, Double> sum : sums.entrySet()) {
        if (Math.abs(sum.getValue() - 1) > 1e-6) {
          throw new IllegalArgumentException("shares of data set " + sum.getKey() + " (stages "
              + String.join(", ", names.get(sum.getKey())) + ") must sum to 1, got " + sum.getValue()
              + " (each data set gets the whole budget: stages on disjoint data compose in parallel)");
        }
      }
    }
  }
}
