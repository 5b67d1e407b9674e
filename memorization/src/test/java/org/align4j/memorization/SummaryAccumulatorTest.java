package org.align4j.memorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.align4j.memorization.inference.MembershipEvaluation;
import org.align4j.memorization.inference.MembershipScores;
import org.align4j.memorization.inference.ScoreKind;
import org.align4j.memorization.report.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SummaryAccumulator}'s merge is exact: any partition, order and grouping equals one pass. */
class SummaryAccumulatorTest {

  private static final AuditConfig CONFIG =
      Auditor.builder().sampling(4, 1.0).maxGroupsPerKey(5).build().config();
  private static final Object[] LABELS = {true, false, "member", "non-member", 1, 0, "unknown"};

  /** Seeded outcomes covering skips, ties, NaN scores, every label form, groups at and over the limit. */
  static List<AuditOutcome> outcomes(long seed, int n) {
    Random random = new Random(seed);
    List<AuditOutcome> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (random.nextInt(10) == 0) {
        out.add(new AuditOutcome(null, random.nextInt(50)));
        continue;
      }
      int distance = random.nextInt(17);
      double normalized = distance / 16.0;
      boolean memorized = normalized <= 0.25;
      boolean controlMemorized = random.nextBoolean() && memorized;
      double loss = Math.round(random.nextDouble() * 40) / 10.0;
      MembershipScores scores = new MembershipScores(10, loss, loss / 30, 30,
          random.nextInt(20) == 0 ? Double.NaN : -Math.round(random.nextDouble() * 20) / 4.0, loss - 1);
      Finding f = new Finding("e" + i, 0, "p", "t", "g", 16, 16, distance, normalized, distance == 0, memorized,
          new ControlResult("c", 3, 0.2, controlMemorized), memorized && !controlMemorized,
          Extraction.of(4, random.nextInt(5)), scores, Map.of("member", LABELS[random.nextInt(LABELS.length)],
              "lang", "l" + random.nextInt(3), "tag", "t" + random.nextInt(5), "uid", i));
      out.add(new AuditOutcome(f, random.nextInt(50)));
    }
    return out;
  }

  static SummaryAccumulator onePass(List<AuditOutcome> outcomes, long limit) {
    SummaryAccumulator acc = new SummaryAccumulator(CONFIG, true, limit);
    outcomes.forEach(acc::add);
    return acc;
  }

  /** Shuffles, splits into random parts, serializes each, and merges them in a random tree. */
  static SummaryAccumulator merged(List<AuditOutcome> outcomes, long limit, long seed) throws Exception {
    Random random = new Random(seed);
    List<AuditOutcome> shuffled = new ArrayList<>(outcomes);
    Collections.shuffle(shuffled, random);
    List<SummaryAccumulator> parts = new ArrayList<>();
    int i = 0;
    while (i < shuffled.size()) {
      int size = 1 + random.nextInt(60);
      parts.add(roundTrip(onePass(shuffled.subList(i, Math.min(shuffled.size(), i + size)), limit)));
      i += size;
    }
    parts.add(new SummaryAccumulator(CONFIG, true, limit));
    while (parts.size() > 1) {
      SummaryAccumulator a = parts.remove(random.nextInt(parts.size()));
      SummaryAccumulator b = parts.remove(random.nextInt(parts.size()));
      a.merge(b);
      parts.add(a);
    }
    return parts.get(0);
  }

  static SummaryAccumulator roundTrip(SummaryAccumulator acc) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(acc);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (SummaryAccumulator) in.readObject();
    }
  }

  @ParameterizedTest(name = "exact-score limit {0}")
  @ValueSource(longs = {Long.MAX_VALUE, 300, 40})
  void mergeInAnyOrderEqualsOnePass(long limit) throws Exception {
    List<AuditOutcome> outcomes = outcomes(11, 800);
    SummaryAccumulator single = onePass(outcomes, limit);
    Summary expected = single.build();
    assertThat(expected.droppedGroupKeys()).containsExactly("member", "uid");
    assertThat(expected.groups()).containsOnlyKeys("lang", "tag");
    assertThat(expected.membership()).containsKeys(ScoreKind.LOSS, ScoreKind.MIN_K_PROB);
    for (long seed = 1; seed <= 5; seed++) {
      SummaryAccumulator merged = merged(outcomes, limit, seed);
      assertThat(merged.build()).isEqualTo(expected);
      assertThat(merged.aucErrorBounds()).isEqualTo(single.aucErrorBounds());
    }
    assertThat(single.aucErrorBounds().isEmpty()).isEqualTo(limit == Long.MAX_VALUE);
  }

  @Test
  void scanCountsAreTheOnesOfItsOutcomes() {
    List<AuditOutcome> outcomes = outcomes(3, 300);
    Summary s = onePass(outcomes, Long.MAX_VALUE).build();
    long skipped = outcomes.stream().filter(o -> o.finding() == null).count();
    assertThat(s.examplesRead()).isEqualTo(300);
    assertThat(s.skippedTooShort()).isEqualTo(skipped);
    assertThat(s.generatedTokens()).isEqualTo(outcomes.stream().mapToLong(AuditOutcome::generatedTokens).sum());
    double meanP = outcomes.stream().filter(o -> o.finding() != null)
        .mapToDouble(o -> o.finding().extraction().perSampleProbability()).average().orElseThrow();
    assertThat(s.meanExtractionProbability()).isCloseTo(meanP, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void binnedAucIsWithinItsStatedBound() {
    List<AuditOutcome> outcomes = outcomes(5, 800);
    SummaryAccumulator exact = onePass(outcomes, Long.MAX_VALUE);
    SummaryAccumulator binned = onePass(outcomes, 10);
    for (ScoreKind kind : List.of(ScoreKind.LOSS, ScoreKind.ZLIB_RATIO, ScoreKind.MIN_K_PROB)) {
      MembershipEvaluation e = exact.build().membership().get(kind);
      MembershipEvaluation b = binned.build().membership().get(kind);
      double bound = binned.aucErrorBounds().get(kind);
      assertThat(bound).isPositive();
      assertThat(Math.abs(b.auc() - e.auc())).isLessThanOrEqualTo(bound + 1e-15);
      assertThat(b.members()).isEqualTo(e.members());
    }
  }

  @Test
  void binsAreMonotoneAndNarrow() {
    Random random = new Random(2);
    for (int i = 0; i < 10_000; i++) {
      double a = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(8) - 4);
      double b = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(8) - 4);
      if (a <= b) {
        assertThat(ScoreSketch.bin(a)).isLessThanOrEqualTo(ScoreSketch.bin(b));
      }
      assertThat(Math.abs(ScoreSketch.bin(a) - a)).isLessThanOrEqualTo(Math.abs(a) * Math.pow(2, -10));
    }
  }

  @Test
  void anOutcomeOfOtherSettingsIsRejectedNotDropped() {
    SummaryAccumulator noSampling = new SummaryAccumulator(Auditor.builder().build().config(), true);
    AuditOutcome sampled = outcomes(1, 20).stream().filter(o -> o.finding() != null).findFirst().orElseThrow();
    assertThatThrownBy(() -> noSampling.add(sampled)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 extraction samples");
  }

  @Test
  void mergingDifferentSettingsFails() {
    SummaryAccumulator a = new SummaryAccumulator(CONFIG, true);
    SummaryAccumulator b = new SummaryAccumulator(CONFIG, false);
    assertThatThrownBy(() -> a.merge(b)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different settings");
  }
}
