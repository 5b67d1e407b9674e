package org.align4j.rewardmodel.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.util.Args;

/**
 * Seeded synthetic preference pairs for demonstrating and testing reward models, short enough for tiny byte-level
 * models. A prompt is three random letters and a colon; a response is a body of random lowercase letters followed
 * by an ending: {@value #GOOD} marks a better response, {@value #PLAIN} a worse one. Bodies are between
 * {@value #MIN_BODY} and {@value #MAX_BODY} letters, so a response has at most {@code MAX_BODY + 1} characters and
 * a whole pair fits a context of {@code MAX_BODY + 7} byte tokens (with BOS and EOS).
 *
 * <ul>
 *   <li>{@link #lengthBalanced}: the chosen response is better, and its length says nothing: in exactly half the
 *       pairs the chosen response is the longer one. A reward model that ranks by length scores 0.5 here.
 *   <li>{@link #betterAndLonger}: the chosen response is always longer (by 2 to 4 letters), and better (ends with
 *       {@value #GOOD} while the rejected ends with {@value #PLAIN}) in a fraction {@code qualityRate} of the pairs;
 *       in the others both end alike. Length is then the more reliable signal, and a reward model trained on it
 *       learns a length bias, as reward models trained on human preferences do.
 * </ul>
 */
public final class SyntheticPreferences {

  /** The ending of a better response. */
  public static final String GOOD = "!";
  /** The ending of a worse response. */
  public static final String PLAIN = ".";
  /** The shortest response body, in letters. */
  public static final int MIN_BODY = 2;
  /** The longest response body, in letters. */
  public static final int MAX_BODY = 14;

  private static final int MAX_GAP = 4;
  private static final int MIN_GAP = 2;

  private SyntheticPreferences() {}

  /**
   * {@code n} pairs in which the chosen response is better and length carries no information (exactly half of
   * the pairs, alternating, have the shorter response chosen; the two bodies always differ in length).
   */
  public static Dataset<PreferencePair> lengthBalanced(int n, long seed) {
    Args.positive("n", n);
    SplittableRandom random = new SplittableRandom(seed);
    List<PreferencePair> pairs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int a = MIN_BODY + random.nextInt(MAX_BODY - MIN_BODY);
      int b = a + 1 + random.nextInt(MAX_BODY - a);
      int chosenBody = i % 2 == 0 ? b : a;
      int rejectedBody = i % 2 == 0 ? a : b;
      String prompt = prompt(random);
      pairs.add(new PreferencePair("balanced-" + i, prompt, letters(random, chosenBody) + GOOD,
          letters(random, rejectedBody) + PLAIN));
    }
    return Dataset.of("synthetic-length-balanced(n=" + n + ",seed=" + seed + ")", pairs);
  }

  /**
   * {@code n} pairs in which the chosen response is always longer, and better in a fraction {@code qualityRate}
   * of them (chosen with probability {@code qualityRate} per pair).
   *
   * @param qualityRate in [0, 1]
   */
  public static Dataset<PreferencePair> betterAndLonger(int n, double qualityRate, long seed) {
    Args.positive("n", n);
    Args.inClosed("qualityRate", qualityRate, 0, 1);
    SplittableRandom random = new SplittableRandom(seed);
    List<PreferencePair> pairs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int rejectedBody = MIN_BODY + random.nextInt(MAX_BODY - MAX_GAP - MIN_BODY + 1);
      int chosenBody = rejectedBody + MIN_GAP + random.nextInt(MAX_GAP - MIN_GAP + 1);
      boolean better = random.nextDouble() < qualityRate;
      String sameEnding = random.nextBoolean() ? GOOD : PLAIN;
      String prompt = prompt(random);
      pairs.add(new PreferencePair("longer-" + i, prompt, letters(random, chosenBody) + (better ? GOOD : sameEnding),
          letters(random, rejectedBody) + (better ? PLAIN : sameEnding)));
    }
    return Dataset.of("synthetic-better-and-longer(n=" + n + ",qualityRate=" + qualityRate + ",seed=" + seed + ")",
        pairs);
  }

  private static String prompt(SplittableRandom random) {
    return letters(random, 3) + ":";
  }

  private static String letters(SplittableRandom random, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }
}
