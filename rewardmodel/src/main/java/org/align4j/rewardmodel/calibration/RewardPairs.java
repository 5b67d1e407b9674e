package org.align4j.rewardmodel.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * Scored preference pairs: the rewards of the chosen and rejected responses, a feature of each response (its
 * length by default), optionally a penalty feature (prompt plus response length) and, per pair, an id and a
 * subset name (empty when none). Immutable: the arrays are copied in and out.
 *
 * @param ids one id per pair
 * @param subsets one subset (category) per pair, empty when none
 * @param chosenReward the chosen responses' rewards, finite
 * @param rejectedReward the rejected responses' rewards, finite
 * @param chosenFeature the chosen responses' feature values, finite
 * @param rejectedFeature the rejected responses' feature values, finite
 * @param chosenPenaltyFeature the chosen responses' penalty feature values, or null when absent
 * @param rejectedPenaltyFeature the rejected responses' penalty feature values, or null when absent
 */
public record RewardPairs(
    List<String> ids,
    List<String> subsets,
    double[] chosenReward,
    double[] rejectedReward,
    double[] chosenFeature,
    double[] rejectedFeature,
    double[] chosenPenaltyFeature,
    double[] rejectedPenaltyFeature) {

  /** Validates lengths and values and copies the arrays. */
  public RewardPairs {
    int n = checkedLength("chosenReward", chosenReward);
    Args.check(n > 0, "reward pairs must not be empty");
    ids = List.copyOf(Objects.requireNonNull(ids, "ids"));
    subsets = List.copyOf(Objects.requireNonNull(subsets, "subsets"));
    Args.check(ids.size() == n, "ids must have %s entries, got %s", n, ids.size());
    Args.check(subsets.size() == n, "subsets must have %s entries, got %s", n, subsets.size());
    chosenReward = finiteCopy("chosenReward", chosenReward, n);
    rejectedReward = finiteCopy("rejectedReward", rejectedReward, n);
    chosenFeature = finiteCopy("chosenFeature", chosenFeature, n);
    rejectedFeature = finiteCopy("rejectedFeature", rejectedFeature, n);
    Args.check((chosenPenaltyFeature == null) == (rejectedPenaltyFeature == null),
        "chosenPenaltyFeature and rejectedPenaltyFeature must both be given or both be null");
    chosenPenaltyFeature = chosenPenaltyFeature == null
        ? null : finiteCopy("chosenPenaltyFeature", chosenPenaltyFeature, n);
    rejectedPenaltyFeature = rejectedPenaltyFeature == null
        ? null : finiteCopy("rejectedPenaltyFeature", rejectedPenaltyFeature, n);
  }

  /** Pairs with ids {@code "0".."n-1"}, no subsets and no penalty feature. */
  public static RewardPairs of(
      double[] chosenReward, double[] rejectedReward, double[] chosenFeature, double[] rejectedFeature) {
    int n = checkedLength("chosenReward", chosenReward);
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(Integer.toString(i));
    }
    return new RewardPairs(ids, java.util.Collections.nCopies(n, ""), chosenReward, rejectedReward,
        chosenFeature, rejectedFeature, null, null);
  }

  /** These pairs with other rewards. */
  public RewardPairs withRewards(double[] chosen, double[] rejected) {
    return new RewardPairs(ids, subsets, chosen, rejected, chosenFeature, rejectedFeature,
        chosenPenaltyFeature, rejectedPenaltyFeature);
  }

  /** These pairs with a penalty feature. */
  public RewardPairs withPenaltyFeature(double[] chosen, double[] rejected) {
    return new RewardPairs(ids, subsets, chosenReward, rejectedReward, chosenFeature, rejectedFeature,
        chosen, rejected);
  }

  /** These pairs with subsets (categories). */
  public RewardPairs withSubsets(List<String> newSubsets) {
    return new RewardPairs(ids, newSubsets, chosenReward, rejectedReward, chosenFeature, rejectedFeature,
        chosenPenaltyFeature, rejectedPenaltyFeature);
  }

  /** The number of pairs. */
  public int size() {
    return chosenReward.length;
  }

  /** Whether a penalty feature is present. */
  public boolean hasPenaltyFeature() {
    return chosenPenaltyFeature != null;
  }

  @Override
  public double[] chosenReward() {
    return chosenReward.clone();
  }

  @Override
  public double[] rejectedReward() {
    return rejectedReward.clone();
  }

  @Override
  public double[] chosenFeature() {
    return chosenFeature.clone();
  }

  @Override
  public double[] rejectedFeature() {
    return rejectedFeature.clone();
  }

  @Override
  public double[] chosenPenaltyFeature() {
    return chosenPenaltyFeature == null ? null : chosenPenaltyFeature.clone();
  }

  @Override
  public double[] rejectedPenaltyFeature() {
    return rejectedPenaltyFeature == null ? null : rejectedPenaltyFeature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RewardPairs p && ids.equals(p.ids) && subsets.equals(p.subsets)
        && Arrays.equals(chosenReward, p.chosenReward) && Arrays.equals(rejectedReward, p.rejectedReward)
        && Arrays.equals(chosenFeature, p.chosenFeature) && Arrays.equals(rejectedFeature, p.rejectedFeature)
        && Arrays.equals(chosenPenaltyFeature, p.chosenPenaltyFeature)
        && Arrays.equals(rejectedPenaltyFeature, p.rejectedPenaltyFeature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ids, subsets, Arrays.hashCode(chosenReward), Arrays.hashCode(rejectedReward));
  }

  @Override
  public String toString() {
    return "RewardPairs[" + size() + " pairs" + (hasPenaltyFeature() ? ", with penalty feature" : "") + "]";
  }

  private static int checkedLength(String name, double[] values) {
    Objects.requireNonNull(values, name);
    return values.length;
  }

  private static double[] finiteCopy(String name, double[] values, int n) {
    Objects.requireNonNull(values, name);
    Args.check(values.length == n, "%s must have %s entries, got %s", name, n, values.length);
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite, got " + values[i]);
      }
    }
    return values.clone();
  }
}
