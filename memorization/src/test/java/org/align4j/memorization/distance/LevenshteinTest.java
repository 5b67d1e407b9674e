package org.align4j.memorization.distance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LevenshteinTest {

  /** The plain dynamic program, two rows. */
  static int slow(int[] a, int[] b) {
    int[] prev = new int[b.length + 1];
    int[] cur = new int[b.length + 1];
    for (int j = 0; j <= b.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length; j++) {
        int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length];
  }

  private static int[] random(SplittableRandom rnd, int length, int alphabet) {
    int[] out = new int[length];
    for (int i = 0; i < length; i++) {
      out[i] = rnd.nextInt(alphabet);
    }
    return out;
  }

  /** A copy of {@code a} with about {@code edits} random insertions, deletions and substitutions. */
  private static int[] mutate(SplittableRandom rnd, int[] a, int edits, int alphabet) {
    java.util.ArrayList<Integer> list = new java.util.ArrayList<>();
    for (int x : a) {
      list.add(x);
    }
    for (int e = 0; e < edits; e++) {
      int kind = rnd.nextInt(3);
      if (kind == 0 || list.isEmpty()) {
        list.add(rnd.nextInt(list.size() + 1), rnd.nextInt(alphabet));
      } else if (kind == 1) {
        list.remove(rnd.nextInt(list.size()));
      } else {
        list.set(rnd.nextInt(list.size()), rnd.nextInt(alphabet));
      }
    }
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int length(SplittableRandom rnd) {
    double u = rnd.nextDouble();
    if (u < 0.5) {
      return rnd.nextInt(70);
    } else if (u < 0.9) {
      return rnd.nextInt(300);
    }
    return rnd.nextInt(1001);
  }

  private static final int[] ALPHABETS = {2, 3, 4, 20, 256, 1000, 50_000, 65_536};

  @Test
  void matchesDynamicProgrammingOnRandomPairs() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int t = 0; t < 3000; t++) {
      int alphabet = ALPHABETS[rnd.nextInt(ALPHABETS.length)];
      int[] a = random(rnd, length(rnd), alphabet);
      int[] b = rnd.nextBoolean() ? random(rnd, length(rnd), alphabet)
          : mutate(rnd, a, rnd.nextInt(1 + a.length / 4 + 3), alphabet);
      int expected = slow(a, b);
      assertThat(Levenshtein.distance(a, b)).as("pair %d", t).isEqualTo(expected);
      assertThat(Levenshtein.distance(b, a)).as("pair %d swapped", t).isEqualTo(expected);
      int k = rnd.nextInt(expected + 20);
      int bounded = Levenshtein.distance(a, b, k);
      assertThat(bounded).as("pair %d bounded by %d (true %d)", t, k, expected)
          .isEqualTo(expected <= k ? expected : k + 1);
    }
  }

  private static final int[] NEAR_WORD_BOUNDARIES = {1, 2, 63, 64, 65, 127, 128, 129, 191, 192, 193, 255, 256, 257,
      320, 511, 512, 513};

  /**
   * Patterns and texts whose lengths sit on and around multiples of 64, over alphabets from 1 symbol up, and over
   * a Zipf-like alphabet whose frequent symbols get dense masks while its rare ones are set bit by bit.
   */
  @Test
  void matchesDynamicProgrammingAcrossWordBoundariesAndAlphabets() {
    SplittableRandom rnd = new SplittableRandom(3);
    int[] alphabets = {1, 2, 3, 4, 5, 16, 64, 300, 50_000};
    for (int length : NEAR_WORD_BOUNDARIES) {
      for (int alphabet : alphabets) {
        for (boolean zipf : new boolean[] {false, true}) {
          int[] a = zipf ? zipf(rnd, length, alphabet) : random(rnd, length, alphabet);
          int other = NEAR_WORD_BOUNDARIES[rnd.nextInt(NEAR_WORD_BOUNDARIES.length)];
          int[] b = rnd.nextBoolean() ? (zipf ? zipf(rnd, other, alphabet) : random(rnd, other, alphabet))
              : mutate(rnd, a, rnd.nextInt(1 + length / 5), alphabet);
          int expected = slow(a, b);
          String what = length + " vs " + b.length + " over " + alphabet + (zipf ? " (zipf)" : "");
          assertThat(Levenshtein.distance(a, b)).as(what).isEqualTo(expected);
          assertThat(Levenshtein.distance(b, a)).as("swapped " + what).isEqualTo(expected);
          for (int k : new int[] {0, expected / 2, Math.max(0, expected - 1), expected, expected + 65}) {
            assertThat(Levenshtein.distance(a, b, k)).as(what + " bounded by " + k)
                .isEqualTo(expected <= k ? expected : k + 1);
          }
        }
      }
    }
  }

  /** Symbols with Zipf-like frequencies: a few very common, a long tail of rare ones. */
  private static int[] zipf(SplittableRandom rnd, int length, int alphabet) {
    int[] out = new int[length];
    for (int i = 0; i < length; i++) {
      out[i] = (int) Math.min(alphabet - 1, Math.floor(Math.exp(rnd.nextDouble() * Math.log(alphabet + 1.0))) - 1);
    }
    return out;
  }

  @Test
  void boundedVariantIsExactAtAndAroundTheDistance() {
    SplittableRandom rnd = new SplittableRandom(2);
    for (int t = 0; t < 1500; t++) {
      int alphabet = ALPHABETS[rnd.nextInt(ALPHABETS.length)];
      int[] a = random(rnd, 1 + length(rnd), alphabet);
      int[] b = mutate(rnd, a, rnd.nextInt(1 + a.length / 3), alphabet);
      int d = slow(a, b);
      for (int k : new int[] {0, Math.max(0, d - 1), d, d + 1, 2 * d + 70}) {
        assertThat(Levenshtein.distance(a, b, k)).as("pair %d k %d d %d", t, k, d).isEqualTo(d <= k ? d : k + 1);
      }
    }
  }

  @Test
  void extremeSymbolsAndEdgeCases() {
    int[] a = {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0};
    int[] b = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0, 7};
    assertThat(Levenshtein.distance(a, b)).isEqualTo(slow(a, b));
    assertThat(Levenshtein.distance(new int[0], new int[0])).isZero();
    assertThat(Levenshtein.distance(new int[0], new int[] {1, 2, 3})).isEqualTo(3);
    assertThat(Levenshtein.distance(new int[] {1, 2, 3}, new int[] {1, 2, 3}, 0)).isZero();
    assertThat(Levenshtein.distance(new int[] {1, 2, 3}, new int[] {1, 2, 4}, 0)).isEqualTo(1);
    assertThatThrownBy(() -> Levenshtein.distance(a, b, -1)).hasMessageContaining("maxDistance");
  }

  @Test
  void stringsByCodeUnitsAndCodePoints() {
    assertThat(Levenshtein.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Levenshtein.distance("flaw", "lawn", 1)).isEqualTo(2);
    String emoji = "a\uD83D\uDE00b";
    String other = "a\uD83D\uDE01b";
    assertThat(Levenshtein.distance(emoji, other)).isEqualTo(1);
    assertThat(Levenshtein.distance(emoji, "ab")).isEqualTo(2);
    assertThat(Levenshtein.distanceCodePoints(emoji, "ab")).isEqualTo(1);
  }

  @Test
  void normalization() {
    assertThat(Normalization.BY_TARGET.normalize(3, 10, 20)).isEqualTo(0.3);
    assertThat(Normalization.BY_LONGER.normalize(3, 10, 20)).isEqualTo(0.15);
    assertThat(Normalization.BY_TARGET.normalize(0, 0, 0)).isZero();
    assertThat(Normalization.BY_TARGET.normalize(2, 0, 2)).isEqualTo(1.0);
  }
}
