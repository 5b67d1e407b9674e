package org.align4j.examples.study;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.RewardModel;

/**
 * The study's gold reward: how natural a response is as code, the mean log-probability per character (nats) of
 * the response followed by an end mark under a character bigram model with add-one smoothing, fitted on code that
 * neither the policy nor any proxy trains on. The first character is conditioned on the prompt's last character.
 * Higher is better; a response of characters the fitted code never holds scores about {@code -log V}.
 */
final class OveroptimizationGold implements RewardModel {

  /** What the gold reward is, stated in every output. */
  static final String DESCRIPTION = "gold reward: mean log-probability per character (nats) of the response and "
      + "an end mark under a character bigram model (add-one smoothing) fitted on held-out code of the corpus";

  private final Map<Character, Integer> index = new HashMap<>();
  private final long[][] counts;
  private final long[] totals;
  private final int other;
  private final int end;

  /** Fits the bigram model on {@code texts}. */
  OveroptimizationGold(List<String> texts) {
    Args.check(!texts.isEmpty(), "the gold reward needs texts to fit");
    for (String t : texts) {
      for (char c : t.toCharArray()) {
        index.putIfAbsent(c, index.size());
      }
    }
    other = index.size();
    end = other + 1;
    int v = end + 1;
    counts = new long[v][v];
    totals = new long[v];
    for (String t : texts) {
      int previous = other;
      for (char c : t.toCharArray()) {
        int k = id(c);
        counts[previous][k]++;
        totals[previous]++;
        previous = k;
      }
      counts[previous][end]++;
      totals[previous]++;
    }
  }

  private int id(char c) {
    return index.getOrDefault(c, other);
  }

  private double logProb(int from, int to) {
    return Math.log((counts[from][to] + 1.0) / (totals[from] + counts.length));
  }

  /** The gold reward of one response to {@code prompt}. */
  double gold(String prompt, String response) {
    int previous = prompt.isEmpty() ? other : id(prompt.charAt(prompt.length() - 1));
    double sum = 0;
    for (char c : response.toCharArray()) {
      int k = id(c);
      sum += logProb(previous, k);
      previous = k;
    }
    sum += logProb(previous, end);
    return sum / (response.length() + 1);
  }

  @Override
  public double[] score(List<String> prompts, List<String> responses) {
    Args.check(prompts.size() == responses.size(), "prompts and responses must have the same size, got %s and %s",
        prompts.size(), responses.size());
    double[] out = new double[prompts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = gold(prompts.get(i), responses.get(i));
    }
    return out;
  }
}
