package org.align4j.rewardmodel.pairs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.RewardModel;

/**
 * Makes preference pairs from scored samples: per prompt, the best-scored response is chosen and the worst-scored
 * rejected (the first in sample order on equal scores); the margin is their reward difference. A prompt whose
 * samples all score the same gives no pair.
 */
public final class BestWorstPairs {

  /**
   * The pairs made, with the chosen and rejected responses' rewards.
   *
   * @param pairs the pairs, ids {@code <prompt id>}
   * @param chosenRewards the chosen responses' rewards
   * @param rejectedRewards the rejected responses' rewards
   * @param skipped the prompts whose samples all scored the same
   */
  public record Result(List<PreferencePair> pairs, double[] chosenRewards, double[] rejectedRewards, int skipped) {

    /** Copies the list. */
    public Result {
      pairs = List.copyOf(pairs);
    }
  }

  private BestWorstPairs() {}

  /**
   * Scores {@code samples[i]} (responses to {@code prompts[i]}, id {@code ids[i]}) with {@code reward} and keeps
   * the best and worst of each prompt.
   *
   * @param rewardName how errors name the reward, e.g. {@code "--reward rm.zip"}
   * @throws IllegalArgumentException when the lists differ in size, a prompt has fewer than 2 samples, or the
   *     reward is not finite
   */
  public static Result make(List<String> ids, List<String> prompts, List<List<String>> samples, RewardModel reward,
      String rewardName) {
    Args.check(ids.size() == prompts.size() && prompts.size() == samples.size(),
        "ids, prompts and samples must have the same size");
    List<PreferencePair> pairs = new ArrayList<>();
    List<Double> chosen = new ArrayList<>();
    List<Double> rejected = new ArrayList<>();
    int skipped = 0;
    for (int i = 0; i < prompts.size(); i++) {
      List<String> responses = samples.get(i);
      if (responses.size() < 2) {
        throw new IllegalArgumentException("prompt " + ids.get(i) + " has " + responses.size()
            + " samples; best/worst pairs need at least 2");
      }
      double[] scores = reward.score(Collections.nCopies(responses.size(), prompts.get(i)), responses);
      int best = 0;
      int worst = 0;
      for (int j = 0; j < scores.length; j++) {
        if (!Double.isFinite(scores[j])) {
          throw new IllegalArgumentException(rewardName + " returned " + scores[j] + " for sample "
              + (j + 1) + " of prompt " + ids.get(i) + "; rewards must be finite");
        }
        best = scores[j] > scores[best] ? j : best;
        worst = scores[j] < scores[worst] ? j : worst;
      }
      if (scores[best] == scores[worst]) {
        skipped++;
        continue;
      }
      pairs.add(new PreferencePair(ids.get(i), prompts.get(i), responses.get(best), responses.get(worst),
          Optional.empty(), OptionalDouble.of(scores[best] - scores[worst])));
      chosen.add(scores[best]);
      rejected.add(scores[worst]);
    }
    return new Result(pairs, chosen.stream().mapToDouble(Double::doubleValue).toArray(),
        rejected.stream().mapToDouble(Double::doubleValue).toArray(), skipped);
  }
}
