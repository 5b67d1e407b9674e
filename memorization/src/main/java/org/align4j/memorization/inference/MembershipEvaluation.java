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
    int q = nonMemberScores.length;
    int total = p + q;
    double[] scores = new double[total];
    boolean[] member = new boolean[total];
    Integer[] order = new Integer[total];
    for (int i = 0; i < total; i++) {
      scores[i] = i < p ? memberScores[i] : nonMemberScores[i - p];
      Args.check(!Double.isNaN(scores[i]), "membership scores must not be NaN");
      member[i] = i < p;
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    List<RocPoint> curve = new ArrayList<>();
    curve.add(new RocPoint(Double.POSITIVE_INFINITY, 0, 0));
    long tp = 0;
    long fp = 0;
    double area = 0;
    double tpr1 = 0;
    double tpr01 = 0;
    int i = 0;
    while (i < total) {
      double s = scores[order[i]];
      long groupTp = 0;
      long groupFp = 0;
      while (i < total && Double.compare(scores[order[i]], s) == 0) {
        if (member[order[i]]) {
          groupTp++;
        } else {
          groupFp++;
        }
        i++;
      }
      // A tied group is a diagonal step: its pairs count one half (trapezoid).
      area += groupFp * (tp + groupTp / 2.0);
      tp += groupTp;
      fp += groupFp;
      double fpr = (double) fp / q;
      double tpr = (double) tp / p;
      curve.add(new RocPoint(s, fpr, tpr));
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
    Args.check(maxPoints >= 2, "maxPoints must be >= 2, got " + maxPoints);
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
