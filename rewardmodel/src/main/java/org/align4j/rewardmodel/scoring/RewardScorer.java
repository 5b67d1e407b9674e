package org.align4j.rewardmodel.scoring;

import java.util.ArrayList;
import java.util.List;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.util.Args;

/**
 * Scores preference pairs or single responses with a {@link NamedRewardModel}, in batches, measuring each
 * response's length in tokens and characters. A reward that is not finite is an error naming the reward model, the
 * source and the pair or response.
 */
public final class RewardScorer {

  /** Pairs or responses scored per call of the reward model. */
  static final int BATCH = 32;

  private RewardScorer() {}

  /**
   * Scores {@code pairs} read from {@code source} (named in errors).
   *
   * @throws IllegalArgumentException when the reward model returns a non-finite reward
   */
  public static List<ScoredPair> scorePairs(NamedRewardModel rm, List<PreferencePair> pairs, String source) {
    List<ScoredPair> out = new ArrayList<>(pairs.size());
    for (int from = 0; from < pairs.size(); from += BATCH) {
      List<PreferencePair> batch = pairs.subList(from, Math.min(pairs.size(), from + BATCH));
      List<String> prompts = batch.stream().map(PreferencePair::prompt).toList();
      double[] chosen = rm.model().score(prompts, batch.stream().map(PreferencePair::chosen).toList());
      double[] rejected = rm.model().score(prompts, batch.stream().map(PreferencePair::rejected).toList());
      for (int i = 0; i < batch.size(); i++) {
        PreferencePair p = batch.get(i);
        String where = "pair " + (from + i + 1) + " (id " + p.id() + ") of " + source;
        out.add(new ScoredPair(rm.name(), rm.id(), p.id(), p.category().orElse(""),
            finite(rm, chosen, i, "the chosen response of " + where),
            finite(rm, rejected, i, "the rejected response of " + where),
            ResponseLength.of(rm.tokenizer(), p.prompt(), p.chosen()),
            ResponseLength.of(rm.tokenizer(), p.prompt(), p.rejected())));
      }
    }
    return out;
  }

  /**
   * Scores responses {@code (prompts[i], responses[i])} with ids {@code ids[i]}, read from {@code source}.
   *
   * @throws IllegalArgumentException when the lists differ in size or the reward model returns a non-finite reward
   */
  public static List<ScoredResponse> scoreResponses(NamedRewardModel rm, List<String> ids, List<String> prompts,
      List<String> responses, String source) {
    Args.check(ids.size() == prompts.size() && prompts.size() == responses.size(),
        "ids, prompts and responses must have the same size");
    List<ScoredResponse> out = new ArrayList<>(ids.size());
    for (int from = 0; from < ids.size(); from += BATCH) {
      int to = Math.min(ids.size(), from + BATCH);
      double[] rewards = rm.model().score(prompts.subList(from, to), responses.subList(from, to));
      for (int i = from; i < to; i++) {
        String where = "response " + (i + 1) + " (id " + ids.get(i) + ") of " + source;
        out.add(new ScoredResponse(rm.name(), rm.id(), ids.get(i), finite(rm, rewards, i - from, where),
            ResponseLength.of(rm.tokenizer(), prompts.get(i), responses.get(i))));
      }
    }
    return out;
  }

  private static double finite(NamedRewardModel rm, double[] rewards, int i, String where) {
    double r = rewards[i];
    if (!Double.isFinite(r)) {
      throw new IllegalArgumentException("reward model " + rm.name() + " returned " + r + " for " + where
          + "; rewards must be finite");
    }
    return r;
  }
}
