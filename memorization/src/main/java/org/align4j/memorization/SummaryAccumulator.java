package org.align4j.memorization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.align4j.memorization.inference.MembershipEvaluation;
import org.align4j.memorization.inference.MembershipScores;
import org.align4j.memorization.inference.ScoreKind;
import org.align4j.memorization.report.GroupSummary;
import org.align4j.memorization.report.Summary;
import org.align4j.memorization.stats.Histogram;
import org.align4j.memorization.stats.Proportion;

/**
 * Counts of a scan, fed one outcome at a time in data order. Memory grows with the number of metadata groups
 * (bounded per key) and, for membership evaluation, with eight bytes per score per labelled example.
 */
final class SummaryAccumulator {

  static final int HISTOGRAM_BINS = 20;

  private final AuditConfig config;
  private final boolean hasControl;
  private long scanned;
  private long skipped;
  private long memorized;
  private long exact;
  private long counterfactual;
  private long controlMemorized;
  private long generatedTokens;
  private double extractionSum;
  private double extractionAnySum;
  private final long[] histogram = new long[HISTOGRAM_BINS];
  /** key -> value -> {scanned, memorized, counterfactual}. */
  private final Map<String, Map<String, long[]>> groups = new TreeMap<>();
  private final Set<String> droppedKeys = new LinkedHashSet<>();
  private final Map<ScoreKind, DoubleList> memberScores = new EnumMap<>(ScoreKind.class);
  private final Map<ScoreKind, DoubleList> nonMemberScores = new EnumMap<>(ScoreKind.class);

  SummaryAccumulator(AuditConfig config, boolean hasControl) {
    this.config = config;
    this.hasControl = hasControl;
  }

  long scanned() {
    return scanned;
  }

  long skipped() {
    return skipped;
  }

  long memorized() {
    return memorized;
  }

  long generatedTokens() {
    return generatedTokens;
  }

  void add(BatchAuditor.Outcome outcome) {
    generatedTokens += outcome.generatedTokens();
    Finding f = outcome.finding();
    if (f == null) {
      skipped++;
      return;
    }
    scanned++;
    memorized += f.memorized() ? 1 : 0;
    exact += f.exactMatch() ? 1 : 0;
    boolean cf = Boolean.TRUE.equals(f.counterfactuallyMemorized());
    counterfactual += cf ? 1 : 0;
    controlMemorized += f.control() != null && f.control().memorized() ? 1 : 0;
    if (f.extraction() != null) {
      extractionSum += f.extraction().perSampleProbability();
      extractionAnySum += f.extraction().probabilityAny();
    }
    histogram[Histogram.bin(f.normalizedDistance(), 0, 1, HISTOGRAM_BINS)]++;
    for (Map.Entry<String, Object> e : f.metadata().entrySet()) {
      String key = e.getKey();
      if ((!config.groupBy().isEmpty() && !config.groupBy().contains(key)) || droppedKeys.contains(key)) {
        continue;
      }
      Map<String, long[]> values = groups.computeIfAbsent(key, k -> new TreeMap<>());
      String value = String.valueOf(e.getValue());
      if (!values.containsKey(value) && values.size() >= config.maxGroupsPerKey()) {
        groups.remove(key);
        droppedKeys.add(key);
        continue;
      }
      long[] counts = values.computeIfAbsent(value, v -> new long[3]);
      counts[0]++;
      counts[1] += f.memorized() ? 1 : 0;
      counts[2] += cf ? 1 : 0;
    }
    Boolean member = memberLabel(f.metadata().get(config.membershipKey()));
    MembershipScores scores = f.membership();
    if (member != null && scores != null) {
      Map<ScoreKind, DoubleList> target = member ? memberScores : nonMemberScores;
      for (ScoreKind kind : ScoreKind.values()) {
        Double raw = scores.get(kind);
        if (raw != null && !raw.isNaN()) {
          target.computeIfAbsent(kind, k -> new DoubleList()).add(kind.oriented(raw));
        }
      }
    }
  }

  /** Reads a membership label: a boolean, "true"/"false"/"member"/"non-member"/"yes"/"no", or 1/0. */
  static Boolean memberLabel(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number n) {
      return n.doubleValue() == 1 ? Boolean.TRUE : n.doubleValue() == 0 ? Boolean.FALSE : null;
    }
    if (value instanceof String s) {
      return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "member", "yes", "1" -> Boolean.TRUE;
        case "false", "non-member", "nonmember", "no", "0" -> Boolean.FALSE;
        default -> null;
      };
    }
    return null;
  }

  Summary build(long examplesRead) {
    Map<String, Map<String, GroupSummary>> groupSummaries = new TreeMap<>();
    groups.forEach((key, values) -> {
      Map<String, GroupSummary> out = new TreeMap<>();
      values.forEach((value, c) -> out.put(value, new GroupSummary(c[0], Proportion.wilson(c[1], c[0]),
          hasControl ? Proportion.wilson(c[2], c[0]) : null)));
      groupSummaries.put(key, out);
    });
    Map<ScoreKind, MembershipEvaluation> membership = new EnumMap<>(ScoreKind.class);
    for (ScoreKind kind : ScoreKind.values()) {
      DoubleList m = memberScores.get(kind);
      DoubleList q = nonMemberScores.get(kind);
      if (m != null && q != null) {
        membership.put(kind, MembershipEvaluation.evaluate(m.toArray(), q.toArray()).thinned(201));
      }
    }
    boolean sampling = config.samples() > 0 && scanned > 0;
    return new Summary(examplesRead, scanned, skipped, Proportion.wilson(memorized, scanned),
        Proportion.wilson(exact, scanned), hasControl ? Proportion.wilson(counterfactual, scanned) : null,
        hasControl ? Proportion.wilson(controlMemorized, scanned) : null,
        sampling ? extractionSum / scanned : null, sampling ? extractionAnySum / scanned : null,
        generatedTokens, Histogram.of(0, 1, histogram), groupSummaries, new ArrayList<>(droppedKeys),
        membership);
  }

  /** A growable array of doubles. */
  private static final class DoubleList {
    private double[] values = new double[64];
    private int size;

    void add(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    double[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
