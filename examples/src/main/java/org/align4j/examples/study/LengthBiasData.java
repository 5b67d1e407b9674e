package org.align4j.examples.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.data.TextExample;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.train.SyntheticPreferences;

/**
 * The length-bias study's task, gold reward and labeller, on the responses of {@link SyntheticPreferences}: a
 * prompt is three letters and a colon, a response a body of lowercase letters and an ending, {@code !} for a better
 * response and {@code .} for a worse one.
 */
final class LengthBiasData {

  /** What the gold reward measures, stated in every output. */
  static final String GOLD = "gold reward: 1 for a well-formed better response (lowercase letters ending in '!'), "
      + "0.5 for a well-formed worse one (letters ending in '.'), 0 for anything else (a truncated response without "
      + "an ending, other characters); the number of letters never counts, so it does not prefer length";

  private static final Pattern BETTER = Pattern.compile("[a-z]+!");
  private static final Pattern WORSE = Pattern.compile("[a-z]+\\.");

  private LengthBiasData() {}

  /** The gold reward of one response. */
  static double gold(String response) {
    return BETTER.matcher(response).matches() ? 1 : WORSE.matcher(response).matches() ? 0.5 : 0;
  }

  /** The gold reward as a reward model (the prompt is ignored). */
  static RewardModel goldReward() {
    return (prompts, responses) -> responses.stream().mapToDouble(LengthBiasData::gold).toArray();
  }

  /** What the labeller does with probability {@code bias}, stated in every output. */
  static String labeller(double bias) {
    return "labeller: with probability " + bias + " the longer response wins; otherwise the gold reward's "
        + "preference (pairs always differ in length and in gold reward)";
  }

  /** SFT texts (prompt and response), half better and half worse responses, of every length in the task. */
  static List<TextExample> sftTexts(int n, long seed) {
    List<TextExample> out = new ArrayList<>(n);
    List<PreferencePair> pairs = SyntheticPreferences.lengthBalanced((n + 1) / 2, seed).toList();
    for (PreferencePair p : pairs) {
      out.add(new TextExample(p.id() + "-c", p.prompt() + p.chosen(), Map.of()));
      if (out.size() < n) {
        out.add(new TextExample(p.id() + "-r", p.prompt() + p.rejected(), Map.of()));
      }
    }
    return out;
  }

  /** Unlabelled pairs: the better response is {@code chosen}, and its length says nothing. */
  static List<PreferencePair> goldPairs(int n, long seed) {
    return SyntheticPreferences.lengthBalanced(n, seed).toList();
  }

  /** {@code n} prompts of the task. */
  static List<String> prompts(int n, long seed) {
    return goldPairs(n, seed).stream().map(PreferencePair::prompt).toList();
  }

  /**
   * The pairs as the length-biased labeller labels them: for each pair, with probability {@code bias} the longer
   * response is chosen, otherwise the gold reward's choice.
   */
  static List<PreferencePair> biasedLabels(List<PreferencePair> goldPairs, double bias, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<PreferencePair> out = new ArrayList<>(goldPairs.size());
    for (PreferencePair p : goldPairs) {
      boolean longerWins = random.nextDouble() < bias;
      boolean swap = longerWins && p.rejected().length() > p.chosen().length();
      out.add(swap ? new PreferencePair(p.id(), p.prompt(), p.rejected(), p.chosen()) : p);
    }
    return out;
  }

  /** The fraction of {@code labelled} pairs whose chosen response has the higher gold reward. */
  static double goldAgreement(List<PreferencePair> labelled) {
    return labelled.stream().filter(p -> gold(p.chosen()) > gold(p.rejected())).count() / (double) labelled.size();
  }

  /** The fraction of {@code labelled} pairs whose chosen response is the longer. */
  static double longerChosen(List<PreferencePair> labelled) {
    return labelled.stream().filter(p -> p.chosen().length() > p.rejected().length()).count()
        / (double) labelled.size();
  }
}
