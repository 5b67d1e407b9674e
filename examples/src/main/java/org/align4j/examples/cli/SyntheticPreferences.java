package org.align4j.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.data.TextExample;
import org.align4j.core.data.synthetic.SyntheticCodeCorpus;
import org.align4j.core.util.Args;

/**
 * The {@code dpo} command's default data: preference pairs cut from the embedded synthetic code corpus. For each
 * snippet a seeded cut point splits off a prompt of {@code promptChars} characters; the chosen response is the true
 * continuation of {@code responseChars} characters and the rejected one the same characters in a seeded shuffled
 * order (a corrupted continuation).
 */
final class SyntheticPreferences {

  private SyntheticPreferences() {}

  /** {@code n} pairs (one per snippet; snippets too short for the window are skipped). */
  static Dataset<PreferencePair> generate(int n, int promptChars, int responseChars, long seed) {
    Args.positive("--pairs", n);
    Args.positive("--prompt-chars", promptChars);
    Args.positive("--response-chars", responseChars);
    SyntheticCodeCorpus corpus = SyntheticCodeCorpus.builder().seed(seed).uniqueExamples(n).build();
    SplittableRandom random = new SplittableRandom(seed);
    List<PreferencePair> pairs = new ArrayList<>(n);
    for (TextExample e : corpus.examples()) {
      String text = e.text();
      int window = promptChars + responseChars;
      if (text.length() < window) {
        continue;
      }
      int cut = promptChars + random.nextInt(text.length() - window + 1);
      String chosen = text.substring(cut, cut + responseChars);
      pairs.add(new PreferencePair(e.id(), text.substring(cut - promptChars, cut), chosen,
          corrupt(chosen, random)));
    }
    return Dataset.of("synthetic-preferences(seed=" + seed + ", n=" + n + ")", pairs);
  }

  /** The characters of {@code s} shuffled; rotated by one instead when the shuffle changed nothing. */
  private static String corrupt(String s, SplittableRandom random) {
    char[] c = s.toCharArray();
    for (int i = c.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      char t = c[i];
      c[i] = c[j];
      c[j] = t;
    }
    String shuffled = new String(c);
    return shuffled.equals(s) ? s.substring(1) + s.charAt(0) : shuffled;
  }
}
