package org.align4j.memorization.distance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.align4j.memorization.distance.Alignment.Op;
import org.align4j.memorization.distance.Alignment.Run;
import org.junit.jupiter.api.Test;

class AlignmentTest {

  private static String side(List<Run> runs, Op skip) {
    return runs.stream().filter(r -> r.op() != skip).map(Run::text).collect(Collectors.joining());
  }

  @Test
  void runsRebuildBothSidesWithTheMinimumNumberOfEdits() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int t = 0; t < 300; t++) {
      String a = randomText(rnd, rnd.nextInt(40));
      String b = rnd.nextBoolean() ? randomText(rnd, rnd.nextInt(40)) : a.replace('a', 'x') + "z";
      List<Run> runs = Alignment.align(a, b);
      assertThat(side(runs, Op.INSERT)).isEqualTo(a);
      assertThat(side(runs, Op.DELETE)).isEqualTo(b);
      int inserted = runs.stream().filter(r -> r.op() == Op.INSERT).mapToInt(r -> r.text().length()).sum();
      int deleted = runs.stream().filter(r -> r.op() == Op.DELETE).mapToInt(r -> r.text().length()).sum();
      int distance = Levenshtein.distance(a, b);
      // Each substitution shows as one deletion plus one insertion.
      assertThat(Math.max(inserted, deleted)).isLessThanOrEqualTo(distance);
      assertThat(inserted + deleted).isGreaterThanOrEqualTo(distance);
    }
  }

  @Test
  void marksAChangedWord() {
    assertThat(Alignment.align("the cat sat", "the dog sat"))
        .containsExactly(new Run(Op.EQUAL, "the "), new Run(Op.DELETE, "c"), new Run(Op.INSERT, "d"),
            new Run(Op.DELETE, "a"), new Run(Op.INSERT, "o"), new Run(Op.DELETE, "t"), new Run(Op.INSERT, "g"),
            new Run(Op.EQUAL, " sat"));
  }

  private static String randomText(SplittableRandom rnd, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + rnd.nextInt(4)));
    }
    return sb.toString();
  }
}
