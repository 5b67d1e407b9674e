package org.align4j.memorization;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.align4j.memorization.inference.MembershipEvaluation;

/**
 * The oriented scores of one membership-inference score, members and non-members apart: kept exactly while there
 * are at most {@code limit} of them, then as counts per bin. A bin holds the doubles that agree in sign, exponent
 * and the top {@value #MANTISSA_BITS} mantissa bits (relative width at most 2<sup>-10</sup>); binning is
 * monotone, so only pairs within one bin can change order, and the binned AUC counts each of them one half: its
 * error is at most {@link #aucErrorBound()} = Σ<sub>b</sub> m<sub>b</sub>·n<sub>b</sub> / (2·P·N). Merging is
 * exact: whether the final state is exact or binned, and its contents, depend only on the multiset of scores.
 */
final class ScoreSketch implements Serializable {

  private static final long serialVersionUID = 1L;
  static final int MANTISSA_BITS = 10;
  private static final long BIN_MASK = ~((1L << (52 - MANTISSA_BITS)) - 1);

  private final long limit;
  private DoubleList members = new DoubleList();
  private DoubleList nonMembers = new DoubleList();
  /** Bin value -> {members, non-members}; null while exact. */
  private TreeMap<Double, long[]> bins;

  ScoreSketch(long limit) {
    this.limit = limit;
  }

  /** The bin of an oriented score: its mantissa truncated to {@value #MANTISSA_BITS} bits. */
  static double bin(double score) {
    return Double.longBitsToDouble(Double.doubleToRawLongBits(score) & BIN_MASK);
  }

  void add(double score, boolean member) {
    if (bins != null) {
      bins.computeIfAbsent(bin(score), b -> new long[2])[member ? 0 : 1]++;
      return;
    }
    (member ? members : nonMembers).add(score);
    if (members.size() + (long) nonMembers.size() > limit) {
      toBins();
    }
  }

  void merge(ScoreSketch other) {
    if (bins == null && other.bins == null
        && members.size() + (long) nonMembers.size() + other.members.size() + other.nonMembers.size() <= limit) {
      members.addAll(other.members);
      nonMembers.addAll(other.nonMembers);
      return;
    }
    toBins();
    if (other.bins != null) {
      other.bins.forEach((b, c) -> {
        long[] mine = bins.computeIfAbsent(b, x -> new long[2]);
        mine[0] += c[0];
        mine[1] += c[1];
      });
    } else {
      other.members.forEach(v -> bins.computeIfAbsent(bin(v), x -> new long[2])[0]++);
      other.nonMembers.forEach(v -> bins.computeIfAbsent(bin(v), x -> new long[2])[1]++);
    }
  }

  /** Whether both members and non-members have scores (an evaluation needs both). */
  boolean evaluable() {
    if (bins == null) {
      return members.size() > 0 && nonMembers.size() > 0;
    }
    return bins.values().stream().anyMatch(c -> c[0] > 0) && bins.values().stream().anyMatch(c -> c[1] > 0);
  }

  /** The evaluation: exact while the scores are kept, otherwise over bins (thresholds are bin values). */
  MembershipEvaluation evaluate() {
    if (bins == null) {
      return MembershipEvaluation.evaluate(members.toArray(), nonMembers.toArray());
    }
    int n = bins.size();
    double[] thresholds = new double[n];
    long[] m = new long[n];
    long[] q = new long[n];
    int i = 0;
    for (Map.Entry<Double, long[]> e : bins.descendingMap().entrySet()) {
      thresholds[i] = e.getKey();
      m[i] = e.getValue()[0];
      q[i] = e.getValue()[1];
      i++;
    }
    return MembershipEvaluation.fromCounts(thresholds, m, q);
  }

  /** 0 while exact; otherwise the bound Σ m_b n_b / (2 P N) on the binned AUC's error. */
  double aucErrorBound() {
    if (bins == null) {
      return 0;
    }
    double within = 0;
    long p = 0;
    long q = 0;
    for (long[] c : bins.values()) {
      within += (double) c[0] * c[1];
      p += c[0];
      q += c[1];
    }
    return within / (2.0 * p * q);
  }

  private void toBins() {
    if (bins != null) {
      return;
    }
    bins = new TreeMap<>();
    members.forEach(v -> bins.computeIfAbsent(bin(v), x -> new long[2])[0]++);
    nonMembers.forEach(v -> bins.computeIfAbsent(bin(v), x -> new long[2])[1]++);
    members = null;
    nonMembers = null;
  }

  /** A growable array of doubles. */
  private static final class DoubleList implements Serializable {
    private static final long serialVersionUID = 1L;
    private double[] values = new double[16];
    private int size;

    int size() {
      return size;
    }

    void add(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    void addAll(DoubleList other) {
      for (int i = 0; i < other.size; i++) {
        add(other.values[i]);
      }
    }

    void forEach(java.util.function.DoubleConsumer action) {
      for (int i = 0; i < size; i++) {
        action.accept(values[i]);
      }
    }

    double[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
