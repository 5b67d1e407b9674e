package org.align4j.core.privacy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Supplier;
import org.apache.commons.math3.analysis.solvers.AllowedSolution;
import org.apache.commons.math3.analysis.solvers.BracketingNthOrderBrentSolver;

/**
 * The budget of one data set of a {@link PrivacyPlanner}: the whole (epsilon, delta), shared by the k stages that
 * train on it. Each stage gets delta / k and a share of epsilon ({@link BudgetSplit}), optionally scaled so that the
 * accountant's composition of the stages reaches epsilon ({@link #tightScale}).
 */
final class DataSetBudget {

  private final List<PrivacyPlanner.StageSpec> stages;
  private final double epsilon;
  private final double delta;
  private final double stageDelta;
  private final Supplier<? extends PrivacyAccountant> accountants;
  private final double maxNoiseMultiplier;

  DataSetBudget(List<PrivacyPlanner.StageSpec> stages, double epsilon, double delta,
      Supplier<? extends PrivacyAccountant> accountants, double maxNoiseMultiplier) {
    this.stages = List.copyOf(stages);
    this.epsilon = epsilon;
    this.delta = delta;
    this.stageDelta = delta / stages.size();
    this.accountants = accountants;
    this.maxNoiseMultiplier = maxNoiseMultiplier;
  }

  /** Each stage's delta: the total over the number of stages. */
  double stageDelta() {
    return stageDelta;
  }

  /**
   * The stages' shares of epsilon under {@code split}, summing to 1.
   *
   * @param given the given shares of these stages (used by {@link BudgetSplit.Rule#GIVEN} only)
   */
  double[] shares(BudgetSplit.Rule rule, double[] given) {
    double[] weights = stages.size() == 1 ? new double[] {1} : switch (rule) {
      case EQUAL -> stages.stream().mapToDouble(s -> 1).toArray();
      case PROPORTIONAL -> costsAtEqualNoise();
      case GIVEN -> given.clone();
    };
    double sum = Arrays.stream(weights).sum();
    // given shares sum to 1 within 1e-6 (checked by the builder): this only removes rounding
    return Arrays.stream(weights).map(w -> w / sum).toArray();
  }

  /** Each stage calibrated to {@code scale * share * epsilon} at {@link #stageDelta()}. */
  NoiseCalibration.Result[] calibrate(double[] shares, double scale) {
    NoiseCalibration.Result[] results = new NoiseCalibration.Result[stages.size()];
    for (int j = 0; j < results.length; j++) {
      results[j] = calibrate(stages.get(j), scale * shares[j] * epsilon, shares[j]);
    }
    return results;
  }

  /**
   * The largest factor c (at least 1, within a relative 1e-6) such that the stages calibrated to
   * {@code c * share * epsilon} compose, in one accountant at the total delta, to at most epsilon. 1 for a single
   * stage, or where the composition at c = 1 is already above epsilon (then the sum of the stages bounds it).
   */
  double tightScale(double[] shares) {
    if (stages.size() == 1) {
      return 1;
    }
    DoubleUnaryOperator excess = c -> composed(calibrate(shares, c)) - epsilon;
    if (excess.applyAsDouble(1) > 0) {
      return 1;
    }
    double lo = 1;
    double hi = 2;
    while (excess.applyAsDouble(hi) <= 0) {
      lo = hi;
      hi *= 2;
      if (hi > 1e6) {
        return lo;
      }
    }
    double c = new BracketingNthOrderBrentSolver(1e-6, 1e-6, 1e-12, 5)
        .solve(200, excess::applyAsDouble, lo, hi, AllowedSolution.BELOW_SIDE);
    return excess.applyAsDouble(c) <= 0 ? c : lo;
  }

  /** The accountant's epsilon, at the total delta, of the stages run with these noise multipliers in order. */
  double composed(NoiseCalibration.Result[] results) {
    PrivacyAccountant accountant = accountants.get();
    for (int j = 0; j < results.length; j++) {
      accountant.add(results[j].noiseMultiplier(), stages.get(j).sampleRate(), stages.get(j).steps());
    }
    return accountant.epsilon(delta);
  }

  private NoiseCalibration.Result calibrate(PrivacyPlanner.StageSpec stage, double target, double share) {
    double atBound = accountants.get().add(maxNoiseMultiplier, stage.sampleRate(), stage.steps()).epsilon(stageDelta);
    if (atBound > target) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "stage %s: epsilon %.4g (share %.4g of the total %s) is too small for %d steps at sampling rate %.4g and "
              + "delta %.3g: even noise multiplier %s gives epsilon %.4g",
          stage.name(), target, share, epsilon, stage.steps(), stage.sampleRate(), stageDelta, maxNoiseMultiplier,
          atBound));
    }
    return NoiseCalibration.forSteps(target, stage.sampleRate(), stage.steps(), stageDelta, accountants);
  }

  /**
   * Each stage's epsilon (at delta / k) at the one noise multiplier sigma where they sum to the total epsilon: the
   * weights of the proportional split, under which every stage of the data set calibrates to sigma.
   */
  private double[] costsAtEqualNoise() {
    DoubleUnaryOperator excess = logSigma -> Arrays.stream(costs(Math.exp(logSigma))).sum() - epsilon;
    double lo = Math.log(NoiseCalibration.MIN_NOISE_MULTIPLIER);
    double hi = Math.log(maxNoiseMultiplier);
    if (excess.applyAsDouble(hi) > 0) {
      double[] atBound = costs(maxNoiseMultiplier);
      int worst = 0;
      for (int j = 1; j < atBound.length; j++) {
        worst = atBound[j] > atBound[worst] ? j : worst;
      }
      PrivacyPlanner.StageSpec stage = stages.get(worst);
      throw new IllegalArgumentException(String.format(Locale.ROOT, "stage %s: the total epsilon %s is too small "
          + "for the stages on data set %s: even noise multiplier %s on each gives a sum of %.4g (stage %s alone "
          + "%.4g over %d steps at sampling rate %.4g)", stage.name(), epsilon, stage.dataset(), maxNoiseMultiplier,
          Arrays.stream(atBound).sum(), stage.name(), atBound[worst], stage.steps(), stage.sampleRate()));
    }
    double logSigma = excess.applyAsDouble(lo) <= 0 ? lo
        : new BracketingNthOrderBrentSolver(1e-9, 1e-7, 1e-12, 5)
            .solve(200, excess::applyAsDouble, lo, hi, AllowedSolution.BELOW_SIDE);
    return costs(Math.exp(logSigma));
  }

  private double[] costs(double sigma) {
    double[] costs = new double[stages.size()];
    for (int j = 0; j < costs.length; j++) {
      PrivacyPlanner.StageSpec stage = stages.get(j);
      costs[j] = accountants.get().add(sigma, stage.sampleRate(), stage.steps()).epsilon(stageDelta);
    }
    return costs;
  }
}
