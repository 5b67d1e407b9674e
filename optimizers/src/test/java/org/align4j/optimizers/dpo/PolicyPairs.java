package org.align4j.optimizers.dpo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random {@link PolicyPair}s over the byte vocabulary, for the per-pair loss's gradient tests. */
public final class PolicyPairs {

  private PolicyPairs() {}

  /** Pairs with a prompt of 1 to 3 tokens and responses of 0 to 4 tokens, and arbitrary reference sums. */
  public static List<PolicyPair> random(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<PolicyPair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int prompt = 1 + random.nextInt(3);
      out.add(new PolicyPair(sequence(random, prompt), sequence(random, prompt), 1 + prompt,
          -3 - 4 * random.nextDouble(), -3 - 4 * random.nextDouble()));
    }
    return out;
  }

  private static int[] sequence(SplittableRandom random, int prompt) {
    int[] s = new int[2 + prompt + random.nextInt(5)];
    s[0] = 256;
    for (int t = 1; t < s.length; t++) {
      s[t] = 97 + random.nextInt(6);
    }
    return s;
  }
}
