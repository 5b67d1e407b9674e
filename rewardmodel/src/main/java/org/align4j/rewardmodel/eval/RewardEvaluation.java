package org.align4j.rewardmodel.eval;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.align4j.core.util.Args;

/**
 * The evaluation of a reward model on scored preference pairs. A pair is correct when the chosen reward is strictly
 * greater than the rejected one (ties count as wrong).
 *
 * @param pairs the number of pairs
 * @param accuracy the fraction of correct pairs, in [0, 1]
 * @param accuracyByCategory the accuracy of each category (sorted by name; empty without categories)
 * @param pairsByCategory the number of pairs in each category
 * @param meanMargin the mean of {@code chosen - rejected}
 * @param chosen statistics of the chosen rewards
 * @param rejected statistics of the rejected rewards
 * @param rewardBench the RewardBench section scores, when categories are RewardBench subset names
 * @param lengthCorrelation Spearman's correlation of reward with response length over all responses (chosen and
 *     rejected pooled), when lengths are given: the length-bias diagnostic
 */
public record RewardEvaluation(
    int pairs,
    double accuracy,
    Map<String, Double> accuracyByCategory,
    Map<String, Integer> pairsByCategory,
    double meanMargin,
    RewardStats chosen,
    RewardStats rejected,
    Optional<RewardBenchScores> rewardBench,
    OptionalDouble lengthCorrelation) {

  /** Copies the maps. */
  public RewardEvaluation {
    accuracyByCategory = Collections.unmodifiableMap(new TreeMap<>(accuracyByCategory));
    pairsByCategory = Collections.unmodifiableMap(new TreeMap<>(pairsByCategory));
    Objects.requireNonNull(rewardBench, "rewardBench");
    Objects.requireNonNull(lengthCorrelation, "lengthCorrelation");
  }

  /** Evaluates pairs without categories or lengths. */
  public static RewardEvaluation of(double[] chosen, double[] rejected) {
    return of(chosen, rejected, null, null, null);
  }

  /**
   * Evaluates pairs.
   *
   * @param chosen the chosen responses' rewards, finite
   * @param rejected the rejected responses' rewards, finite, as many
   * @param categories the category (e.g. RewardBench subset) of each pair, or null; empty or null entries belong
   *     to no category
   * @param chosenLength the chosen responses' lengths, or null (then no length correlation)
   * @param rejectedLength the rejected responses' lengths, or null
   * @throws IllegalArgumentException when lengths differ, there are no pairs, or a reward is NaN or infinite
   */
  public static RewardEvaluation of(double[] chosen, double[] rejected, String[] categories,
      double[] chosenLength, double[] rejectedLength) {
    int n = chosen.length;
    Args.check(n > 0, "no pairs to evaluate");
    Args.check(rejected.length == n, "rejected must have %s rewards, got %s", n, rejected.length);
    checkFinite("chosen", chosen);
    checkFinite("rejected", rejected);
    Args.check(categories == null || categories.length == n, "categories must have %s entries, got %s", n,
        (categories == null ? 0 : categories.length));
    Args.check((chosenLength == null) == (rejectedLength == null),
        "chosenLength and rejectedLength must both be given or both be null");
    int correct = 0;
    double margin = 0;
    Map<String, int[]> byCategory = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      boolean ok = chosen[i] > rejected[i];
      correct += ok ? 1 : 0;
      margin += chosen[i] - rejected[i];
      if (categories != null && categories[i] != null && !categories[i].isEmpty()) {
        int[] counts = byCategory.computeIfAbsent(categories[i], k -> new int[2]);
        counts[0] += ok ? 1 : 0;
        counts[1]++;
      }
    }
    Map<String, Double> accuracyByCategory = new TreeMap<>();
    Map<String, Integer> pairsByCategory = new TreeMap<>();
    byCategory.forEach((name, counts) -> {
      accuracyByCategory.put(name, (double) counts[0] / counts[1]);
      pairsByCategory.put(name, counts[1]);
    });
    Optional<RewardBenchScores> rewardBench = RewardBench.anySubset(accuracyByCategory.keySet())
        ? Optional.of(RewardBench.score(accuracyByCategory)) : Optional.empty();
    OptionalDouble correlation = OptionalDouble.empty();
    if (chosenLength != null) {
      Args.check(chosenLength.length == n && rejectedLength.length == n, "lengths must have %s entries", n);
      correlation = OptionalDouble.of(Correlation.spearman(concat(chosen, rejected),
          concat(chosenLength, rejectedLength)));
    }
    return new RewardEvaluation(n, (double) correct / n, accuracyByCategory, pairsByCategory, margin / n,
        RewardStats.of(chosen), RewardStats.of(rejected), rewardBench, correlation);
  }

  /**
   * The fraction of pairs whose preference (chosen strictly above rejected, or not) differs between two scorings
   * of the same pairs.
   */
  public static double preferenceChangedFraction(
      double[] chosenBefore, double[] rejectedBefore, double[] chosenAfter, double[] rejectedAfter) {
    int n = chosenBefore.length;
    Args.check(rejectedBefore.length == n && chosenAfter.length == n && rejectedAfter.length == n,
        "all reward arrays must have %s entries", n);
    Args.check(n > 0, "no pairs to compare");
    int changed = 0;
    for (int i = 0; i < n; i++) {
      if ((chosenBefore[i] > rejectedBefore[i]) != (chosenAfter[i] > rejectedAfter[i])) {
        changed++;
      }
    }
    return (double) changed / n;
  }

  private static void checkFinite(String name, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(name + " reward [" + i + "] must be finite, got " + values[i]);
      }
    }
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
