package org.align4j.memorization;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.align4j.core.util.Args;
import org.align4j.memorization.inference.MembershipEvaluation;
import org.align4j.memorization.inference.MembershipScores;
import org.align4j.memorization.inference.ScoreKind;
import org.align4j.memorization.report.GroupSummary;
import org.align4j.memorization.report.Summary;
import org.align4j.memorization.stats.Histogram;
import org.align4j.memorization.stats.Proportion;

/**
 * The mergeable state of a scan's summary: fed one {@link AuditOutcome} at a time, in any order, and merged
 * exactly, so partial accumulators combined in any grouping (as a distributed runner does) build the same
 * {@link Summary} as one pass over the data. Counts, histogram bins, per-group counts and extraction successes
 * are integers; a metadata key is dropped from the breakdown when it has more than {@code maxGroupsPerKey}
 * distinct values (dropped keys are listed sorted). Membership scores are kept exactly up to an optional limit
 * per score kind (eight bytes per score), beyond which they are binned with a stated AUC error bound
 * ({@link #aucErrorBounds()}). Memory otherwise grows with the number of metadata groups (bounded per key).
 * Not thread-safe.
 */
public final class SummaryAccumulator implements Serializable {

  private static final long serialVersionUID = 1L;
  static final int HISTOGRAM_BINS = 20;
  /** Points kept on each ROC curve of the report. */
  static final int ROC_POINTS = 201;

  private final AuditConfig config;
  private final boolean hasControl;
  private final long exactScoreLimit;
  private long scanned;
  private long skipped;
  private long memorized;
  private long exact;
  private long counterfactual;
  private long controlMemorized;
  private long generatedTokens;
  /** Examples by number of sampled continuations within the threshold (empty without sampling). */
  private final long[] successCounts;
  private final long[] histogram = new long[HISTOGRAM_BINS];
  /** key -> value -> {scanned, memorized, counterfactual}. */
  private final TreeMap<String, TreeMap<String, long[]>> groups = new TreeMap<>();
  private final TreeSet<String> droppedKeys = new TreeSet<>();
  private final EnumMap<ScoreKind, ScoreSketch> scores = new EnumMap<>(ScoreKind.class);

  /**
   * An empty accumulator that keeps every membership score exactly.
   *
   * @param config the scan's settings (group keys, membership key, sampling)
   * @param hasControl whether the scan has a control model (counterfactual rates)
   */
  public SummaryAccumulator(AuditConfig config, boolean hasControl) {
    this(config, hasControl, Long.MAX_VALUE);
  }

  /**
   * An empty accumulator that keeps membership scores exactly while a score kind has at most
   * {@code exactScoreLimit} of them (members and non-members together), and bins them beyond.
   */
  public SummaryAccumulator(AuditConfig config, boolean hasControl, long exactScoreLimit) {
    this.config = Objects.requireNonNull(config, "config");
    this.hasControl = hasControl;
    this.exactScoreLimit = Args.positive("exactScoreLimit", exactScoreLimit);
    this.successCounts = new long[config.samples() > 0 ? config.samples() + 1 : 0];
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

  /** Counts one example's outcome. */
  public void add(AuditOutcome outcome) {
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
      if (f.extraction().samples() != config.samples()) {
        throw new IllegalArgumentException("finding '" + f.id() + "' has " + f.extraction().samples()
            + " extraction samples, the scan's settings " + config.samples());
      }
      successCounts[f.extraction().successes()]++;
    }
    histogram[Histogram.bin(f.normalizedDistance(), 0, 1, HISTOGRAM_BINS)]++;
    for (Map.Entry<String, Object> e : f.metadata().entrySet()) {
      String key = e.getKey();
      long[] counts = {1, f.memorized() ? 1 : 0, cf ? 1 : 0};
      addGroup(key, String.valueOf(e.getValue()), counts);
    }
    Boolean member = memberLabel(f.metadata().get(config.membershipKey()));
    MembershipScores membership = f.membership();
    if (member != null && membership != null) {
      for (ScoreKind kind : ScoreKind.values()) {
        Double raw = membership.get(kind);
        if (raw != null && !raw.isNaN()) {
          scores.computeIfAbsent(kind, k -> new ScoreSketch(exactScoreLimit)).add(kind.oriented(raw), member);
        }
      }
    }
  }

  /**
   * Adds {@code other}'s counts to this accumulator (left unchanged otherwise); the result is the same whatever
   * the order and grouping of merges.
   *
   * @throws IllegalArgumentException when the accumulators' settings differ
   */
  public void merge(SummaryAccumulator other) {
    Args.check(config.equals(other.config) && hasControl == other.hasControl
        && exactScoreLimit == other.exactScoreLimit, "cannot merge summaries of scans with different settings");
    scanned += other.scanned;
    skipped += other.skipped;
    memorized += other.memorized;
    exact += other.exact;
    counterfactual += other.counterfactual;
    controlMemorized += other.controlMemorized;
    generatedTokens += other.generatedTokens;
    for (int i = 0; i < successCounts.length; i++) {
      successCounts[i] += other.successCounts[i];
    }
    for (int i = 0; i < HISTOGRAM_BINS; i++) {
      histogram[i] += other.histogram[i];
    }
    for (String key : other.droppedKeys) {
      groups.remove(key);
      droppedKeys.add(key);
    }
    other.groups.forEach((key, values) -> values.forEach((value, counts) -> addGroup(key, value, counts)));
    other.scores.forEach((kind, sketch) -> {
      ScoreSketch mine = scores.computeIfAbsent(kind, k -> new ScoreSketch(exactScoreLimit));
      mine.merge(sketch);
    });
  }

  /** Adds counts to one group; a key with more than {@code maxGroupsPerKey} distinct values is dropped. */
  private void addGroup(String key, String value, long[] counts) {
    if ((!config.groupBy().isEmpty() && !config.groupBy().contains(key)) || droppedKeys.contains(key)) {
      return;
    }
    TreeMap<String, long[]> values = groups.computeIfAbsent(key, k -> new TreeMap<>());
    if (!values.containsKey(value) && values.size() >= config.maxGroupsPerKey()) {
      groups.remove(key);
      droppedKeys.add(key);
      return;
    }
    long[] mine = values.computeIfAbsent(value, v -> new long[3]);
    for (int i = 0; i < 3; i++) {
      mine[i] += counts[i];
    }
  }

  /**
   * Per membership score kind whose scores were binned, the bound on its AUC's error (see the class comment);
   * empty while every kind is exact.
   */
  public Map<ScoreKind, Double> aucErrorBounds() {
    Map<ScoreKind, Double> out = new EnumMap<>(ScoreKind.class);
    scores.forEach((kind, sketch) -> {
      if (sketch.evaluable() && sketch.aucErrorBound() > 0) {
        out.put(kind, sketch.aucErrorBound());
      }
    });
    return out;
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

  /** The summary of every outcome added or merged so far (examples read = scanned plus skipped). */
  public Summary build() {
    Map<String, Map<String, GroupSummary>> groupSummaries = new TreeMap<>();
    groups.forEach((key, values) -> {
      Map<String, GroupSummary> out = new TreeMap<>();
      values.forEach((value, c) -> out.put(value, new GroupSummary(c[0], Proportion.wilson(c[1], c[0]),
          hasControl ? Proportion.wilson(c[2], c[0]) : null)));
      groupSummaries.put(key, out);
    });
    Map<ScoreKind, MembershipEvaluation> membership = new EnumMap<>(ScoreKind.class);
    scores.forEach((kind, sketch) -> {
      if (sketch.evaluable()) {
        membership.put(kind, sketch.evaluate().thinned(ROC_POINTS));
      }
    });
    boolean sampling = config.samples() > 0 && scanned > 0;
    Double meanP = null;
    Double meanAny = null;
    if (sampling) {
      double sumP = 0;
      double sumAny = 0;
      for (int k = 0; k < successCounts.length; k++) {
        Extraction e = Extraction.of(config.samples(), k);
        sumP += successCounts[k] * e.perSampleProbability();
        sumAny += successCounts[k] * e.probabilityAny();
      }
      meanP = sumP / scanned;
      meanAny = sumAny / scanned;
    }
    return new Summary(scanned + skipped, scanned, skipped, Proportion.wilson(memorized, scanned),
        Proportion.wilson(exact, scanned), hasControl ? Proportion.wilson(counterfactual, scanned) : null,
        hasControl ? Proportion.wilson(controlMemorized, scanned) : null, meanP, meanAny,
        generatedTokens, Histogram.of(0, 1, histogram), groupSummaries, new ArrayList<>(droppedKeys),
        membership);
  }
}
