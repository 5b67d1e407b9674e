package org.align4j.memorization.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.memorization.fake.ByteTokenizer;
import org.align4j.memorization.fake.NgramModel;
import org.junit.jupiter.api.Test;

class CanaryTest {

  private static Dataset<TextExample> corpus(int n) {
    SplittableRandom rnd = new SplittableRandom(11);
    List<TextExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < 80; k++) {
        sb.append((char) ('a' + rnd.nextInt(26)));
      }
      out.add(new TextExample("doc" + i, sb.toString()));
    }
    return Dataset.of("corpus", out);
  }

  @Test
  void formatsEnumerateAndDrawSeeded() {
    CanaryFormat f = CanaryFormat.of("pin {digits:2} key {hex:1}!");
    assertThat(f.size()).isEqualTo(BigInteger.valueOf(1600));
    assertThat(f.log2Size()).isCloseTo(Math.log(1600) / Math.log(2), within(1e-12));
    assertThat(f.candidate(0)).isEqualTo("pin 00 key 0!");
    assertThat(f.candidate(17)).isEqualTo("pin 01 key 1!");
    assertThat(f.candidate(1599)).isEqualTo("pin 99 key f!");
    Set<String> all = new HashSet<>();
    for (long i = 0; i < 1600; i++) {
      all.add(f.candidate(i));
    }
    assertThat(all).hasSize(1600);
    assertThat(all).contains(f.random(new SplittableRandom(3)));
    assertThat(f.random(new SplittableRandom(3))).isEqualTo(f.random(new SplittableRandom(3)));
    assertThat(CanaryFormat.of("k {letters:3}{alnum:2}").size()).isEqualTo(BigInteger.valueOf(26L * 26 * 26 * 36 * 36));
    assertThatThrownBy(() -> CanaryFormat.of("no slot here")).hasMessageContaining("slot");
    assertThatThrownBy(() -> CanaryFormat.of("x {digits:0}")).hasMessageContaining("[1, 64]");
    assertThatThrownBy(() -> CanarySet.generate(CanaryFormat.of("{digits:1}"), List.of(1), 5, 5, 1))
        .hasMessageContaining("too few");
  }

  @Test
  void insertionPlacesEachCanaryItsCountOfTimesReproducibly() {
    CanarySet set = CanarySet.generate(CanaryFormat.of("the secret number is {digits:6}"), List.of(1, 5), 2, 3, 9);
    assertThat(set.canaries()).hasSize(7);
    assertThat(set.canaries().stream().filter(c -> c.insertions() == 0)).hasSize(3);
    Dataset<TextExample> training = set.insertInto(corpus(30));
    List<TextExample> first = training.toList();
    assertThat(first).hasSize(30 + 2 * 1 + 2 * 5);
    assertThat(training.toList()).isEqualTo(first);
    for (Canary c : set.canaries()) {
      assertThat(first.stream().filter(e -> e.text().equals(c.text()))).hasSize(c.insertions());
    }
    assertThat(first.stream().filter(e -> e.id().startsWith("doc")).map(TextExample::id).toList())
        .isEqualTo(corpus(30).toList().stream().map(TextExample::id).toList());
    assertThat(first.get(0).id()).isNotEqualTo(first.get(1).id());
  }

  @Test
  void exposureByEnumerationIsHighForInsertedAndLowForReferenceCanaries() {
    CanarySet set = CanarySet.generate(CanaryFormat.of("the secret pin is {digits:4} ok"), List.of(20), 2, 3, 5);
    NgramModel model = new NgramModel(new ByteTokenizer(), 8,
        set.insertInto(corpus(20)).toList().stream().map(TextExample::text).toList());
    List<CanaryExposure> exposures = ExposureEstimator.builder().build().estimate(model, set);
    double max = Math.log(10_000) / Math.log(2);
    for (CanaryExposure e : exposures) {
      assertThat(e.method()).isEqualTo("enumeration");
      assertThat(e.log2Candidates()).isCloseTo(max, within(1e-9));
      if (e.insertions() > 0) {
        // The two inserted canaries are equally likely: they share ranks 1 and 2 (mean rank 1.5).
        assertThat(e.exposure()).as(e.canaryId()).isCloseTo(max - Math.log(1.5) / Math.log(2), within(1e-9));
      } else {
        assertThat(e.exposure()).as(e.canaryId()).isLessThan(5);
      }
    }
    List<ExposureByCount> summary = ExposureEstimator.byInsertions(exposures);
    assertThat(summary).extracting(ExposureByCount::insertions).containsExactly(0, 20);
    assertThat(summary.get(1).canaries()).isEqualTo(2);
    assertThat(summary.get(1).minExposure()).isGreaterThan(summary.get(0).maxExposure());
  }

  @Test
  void exposureBySkewNormalExtrapolationForLargeSpaces() {
    CanarySet set = CanarySet.generate(CanaryFormat.of("my api key is {hex:12}"), List.of(20), 2, 3, 6);
    NgramModel model = new NgramModel(new ByteTokenizer(), 8,
        set.insertInto(corpus(20)).toList().stream().map(TextExample::text).toList());
    List<CanaryExposure> exposures = ExposureEstimator.builder().samples(2000).seed(1).build()
        .estimate(model, set);
    for (CanaryExposure e : exposures) {
      assertThat(e.method()).isEqualTo("skew-normal");
      if (e.insertions() > 0) {
        assertThat(e.exposure()).as(e.canaryId()).isGreaterThan(20);
      } else {
        assertThat(e.exposure()).as(e.canaryId()).isLessThan(5);
      }
    }
  }
}
