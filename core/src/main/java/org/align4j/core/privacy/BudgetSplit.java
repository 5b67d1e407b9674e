package org.align4j.core.privacy;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * How a {@link PrivacyPlanner} divides the epsilon of a data set among the stages that train on it (stages on
 * disjoint data sets do not share: each data set gets the whole budget). Within a data set of k stages, stage i
 * gets the share {@code s_i} of epsilon, the shares summing to 1:
 *
 * <ul>
 *   <li>{@link #equal()}: {@code s_i = 1/k}.
 *   <li>{@link #proportional()}: {@code s_i} proportional to what stage i spends at a common noise multiplier:
 *       the planner finds the one sigma at which the stages' epsilons (each at delta / k) sum to the total, and
 *       gives each stage the share it spends there. Every stage of the data set then calibrates to that same
 *       sigma, so a stage that runs longer or samples more gets a larger share instead of more noise (by the
 *       moments accountant of Abadi et al. 2016, a stage spends about {@code q sqrt(T log(1/delta)) / sigma}).
 *   <li>{@link #shares(double...)}: given shares, one per stage in the planner's order, each {@code > 0}; the
 *       shares of the stages of each data set must sum to 1 (a stage alone on its data set has share 1).
 * </ul>
 *
 * @param rule which rule
 * @param givenShares the shares of {@link Rule#GIVEN}, in stage order; empty for the other rules
 */
public record BudgetSplit(Rule rule, List<Double> givenShares) {

  /** The rules. */
  public enum Rule {
    /** Equal shares within a data set. */
    EQUAL,
    /** Shares proportional to each stage's epsilon at a common noise multiplier within a data set. */
    PROPORTIONAL,
    /** Shares given per stage. */
    GIVEN
  }

  /** Validates: given shares only with {@link Rule#GIVEN}, each finite and {@code > 0}. */
  public BudgetSplit {
    Objects.requireNonNull(rule, "rule");
    givenShares = List.copyOf(givenShares);
    if (rule == Rule.GIVEN) {
      Args.check(!givenShares.isEmpty(), "shares must not be empty");
      for (int i = 0; i < givenShares.size(); i++) {
        double share = givenShares.get(i);
        if (!(share > 0) || !Double.isFinite(share)) {
          throw new IllegalArgumentException("share " + (i + 1) + " must be > 0 and finite, got " + share);
        }
      }
    } else {
      Args.check(givenShares.isEmpty(), "only the GIVEN rule takes shares");
    }
  }

  /** Equal shares within each data set. */
  public static BudgetSplit equal() {
    return new BudgetSplit(Rule.EQUAL, List.of());
  }

  /** Shares proportional to each stage's epsilon at a common noise multiplier, within each data set. */
  public static BudgetSplit proportional() {
    return new BudgetSplit(Rule.PROPORTIONAL, List.of());
  }

  /** Given shares, one per stage in the planner's order. */
  public static BudgetSplit shares(double... shares) {
    return new BudgetSplit(Rule.GIVEN, Arrays.stream(shares).boxed().toList());
  }

  /** The rule's short name as on the command line: {@code equal}, {@code proportional} or {@code shares}. */
  public String label() {
    return switch (rule) {
      case EQUAL -> "equal";
      case PROPORTIONAL -> "proportional";
      case GIVEN -> "shares";
    };
  }
}
