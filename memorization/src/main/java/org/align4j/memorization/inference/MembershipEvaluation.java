package org.align4j.memorization.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * How well a score separates members (examples seen in training) from non-members: the ROC curve, its area (the
 * probability that a random member scores above a random non-member, ties counted one half), and the
 * true-positive rate at 1% and 0.1% false-positive rate (the largest TPR among thresholds whose FPR is at most
 * that rate; Carlini et al. 2022 argue these low-FPR figures matter more than the AUC). Scores are oriented:
 * higher means "more likely a member".
 *
 * @param members number of member scores
 * @param nonMembers number of non-member scores
 * @param auc area under the ROC curve
 * @param tprAt1PercentFpr TPR at FPR at most 0.01
 * @param tprAt01PercentFpr TPR at FPR at most 0.001
 * @param curve ROC points from (0, 0) to (1, 1), one per distinct threshold (possibly thinned), immutable
 */
public record MembershipEvaluation(
    long members, long nonMembers, double auc, double tprAt1PercentFpr, double tprAt01PercentFpr,
    List<RocPoint> curve) {

  /** Validates and copies. */
  public MembershipEvaluation {
    Args.positive("members", members);
    Args.positive("nonMembers", nonMembers);
    Args.inClosed("auc", auc, 0, 1);
    curve = List.copyOf(Objects.requireNonNull(curve, "curve"));
  }

  /**
   * Evaluates oriented scores (higher = member).
   *
   * @throws IllegalArgumentException when either group is empty or a score is NaN
   */
  public static MembershipEvaluation evaluate(double[] memberScores, double[] nonMemberScores) {
    Args.check(memberScores.length > 0, "membership evaluation needs at least one member score");
    Args.check(nonMemberScores.length > 0, "membership evaluation needs at least one non-member score");
    int p = memberScores.length;
    int total = p + nonMemberScores.length;
    double[] scores = new double[total];
    Integer[] order = new Integer[total];
    for (int i = 0; i < total; i++) {
      scores[i] = i < p ? memberScores[i] : nonMemberScores[i - p];
      Args.check(!Double.isNaN(scores[i]), "membership scores must not be NaN");
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    double[] distinct = new double[total];
    long[] members = new long[total];
    long[] nonMembers = new long[total];
    int groups = 0;
    for (int i = 0; i < total; i++) {
      double s = scores[order[i]];
      if (groups == 0 || Double.compare(distinct[groups - 1], s) != 0) {
        distinct[groups++] = s;
      }
      if (order[i] < p) {
        members[groups - 1]++;
      } else {
        nonMembers[groups - 1]++;
      }
    }
    return fromCounts(Arrays.copyOf(distinct, groups), Arrays.copyOf(members, groups),
        Arrays.copyOf(nonMembers, groups));
  }

  /**
   * Evaluates scores given as counts: {@code memberCounts[i]} members and {@code nonMemberCounts[i]} non-members
   * score {@code thresholds[i]}, thresholds strictly decreasing. With one entry per distinct score this equals
   * {@link #evaluate}; with scores grouped into bins, pairs within a bin count one half.
   *
   * @throws IllegalArgumentException when the arrays differ in length, thresholds do not strictly decrease, a
   *     count is negative, or either group is empty
   */
  public static MembershipEvaluation fromCounts(double[] thresholds, long[] memberCounts, long[] nonMemberCounts) {
    Args.check(thresholds.length == memberCounts.length && thresholds.length == nonMemberCounts.length,
        "thresholds and counts must have the same length");
    long p = 0;
    long q = 0;
    for (int i = 0; i < thresholds.length; i++) {
      if (i > 0 && !(thresholds[i] < thresholds[i - 1])) {
        throw new IllegalArgumentException("thresholds must strictly decrease, got " + thresholds[i - 1] + " then "
            + thresholds[i]);
      }
      if (memberCounts[i] < 0 || nonMemberCounts[i] < 0) {
        throw new IllegalArgumentException("counts must be >= 0, got " + memberCounts[i] + " and "
            + nonMemberCounts[i] + " at index " + i);
      }
      p += memberCounts[i];
      q += nonMemberCounts[i];
    }
    Args.check(p > 0, "membership evaluation needs at least one member score");
    Args.check(q > 0, "membership evaluation needs at least one non-member score");
    List<RocPoint> curve = new ArrayList<>(thresholds.length + 1);
    curve.add(new RocPoint(Double.POSITIVE_INFINITY, 0, 0));
    long tp = 0;
    long fp = 0;
    double area = 0;
    double tpr1 = 0;
    double tpr01 = 0;
    for (int i = 0; i < thresholds.length; i++) {
      long groupTp = memberCounts[i];
      long groupFp = nonMemberCounts[i];
      // A tied group is a diagonal step: its pairs count one half (trapezoid).
      area += groupFp * (tp + groupTp / 2.0);
      tp += groupTp;
      fp += groupFp;
      double fpr = (double) fp / q;
      double tpr = (double) tp / p;
      curve.add(new RocPoint(thresholds[i], fpr, tpr));
      if (fpr <= 0.01) {
        tpr1 = Math.max(tpr1, tpr);
      }
      if (fpr <= 0.001) {
        tpr01 = Math.max(tpr01, tpr);
      }
    }
    double auc = area / ((double) p * q);
    return new MembershipEvaluation(p, q, Math.min(1, Math.max(0, auc)), tpr1, tpr01, curve);
  }

  /** A copy whose curve keeps at most {@code maxPoints} points (the ends always kept), for reports. */
  public MembershipEvaluation thinned(int maxPoints) {
    Args.check(maxPoints >= 2, "maxPoints must be >= 2, got %s", maxPoints);
    if (curve.size() <= maxPoints) {
      return this;
    }
    List<RocPoint> kept = new ArrayList<>(maxPoints);
    double step = (curve.size() - 1) / (double) (maxPoints - 1);
    for (int k = 0; k < maxPoints; k++) {
      kept.add(curve.get((int) Math.round(k * step)));
    }
    return new MembershipEvaluation(members, nonMembers, auc, tprAt1PercentFpr, tprAt01PercentFpr, kept);
  }
}
