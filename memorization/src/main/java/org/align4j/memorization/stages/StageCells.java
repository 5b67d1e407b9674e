package org.align4j.memorization.stages;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.align4j.memorization.Finding;
import org.align4j.memorization.inference.MembershipEvaluation;
import org.align4j.memorization.stats.Proportion;

/** Turns the scans of a stage audit into its cells and transitions. */
final class StageCells {

  private StageCells() {}

  /**
   * The audit of one stage on one split from the findings of its scan, the control's scan and the non-member
   * split's scan (each in data order; the last two null when absent).
   */
  static StageSplitAudit cell(StageAuditSettings settings, String stage, String split, long examples,
      List<Finding> findings, List<Finding> control, List<Finding> nonMembers) {
    long scanned = findings.size();
    long memorized = findings.stream().filter(Finding::memorized).count();
    long exact = findings.stream().filter(Finding::exactMatch).count();
    Proportion counterfactual = null;
    if (control != null) {
      Map<String, Boolean> byControl = memorizedById(control);
      long k = findings.stream().filter(f -> f.memorized() && !byControl.getOrDefault(f.id(), false)).count();
      counterfactual = Proportion.wilson(k, scanned);
    }
    Double auc = null;
    if (nonMembers != null && !split.equals(settings.nonMemberSplit())) {
      double[] member = scores(findings, settings);
      double[] nonMember = scores(nonMembers, settings);
      if (member != null && nonMember != null && member.length > 0 && nonMember.length > 0) {
        auc = MembershipEvaluation.evaluate(member, nonMember).auc();
      }
    }
    long piiTrials = 0;
    long piiHits = 0;
    for (Finding f : findings) {
      Object value = f.metadata().get(settings.piiKey());
      if (value instanceof String pii && !pii.isEmpty() && f.target().contains(pii)) {
        piiTrials++;
        piiHits += f.generated().contains(pii) ? 1 : 0;
      }
    }
    List<String> ids = findings.stream().filter(Finding::memorized).map(Finding::id).toList();
    return new StageSplitAudit(stage, split, examples, scanned, Proportion.wilson(memorized, scanned),
        Proportion.wilson(exact, scanned), counterfactual, auc, Proportion.wilson(piiHits, piiTrials), ids);
  }

  /** The transitions of one split between two stages, over the examples both scanned. */
  static Transition transition(StagePair pair, String split, List<Finding> before, List<Finding> after) {
    Map<String, Boolean> later = memorizedById(after);
    long both = 0;
    long onlyBefore = 0;
    long onlyAfter = 0;
    long neither = 0;
    for (Finding f : before) {
      Boolean a = later.get(f.id());
      if (a == null) {
        continue;
      }
      if (f.memorized() && a) {
        both++;
      } else if (f.memorized()) {
        onlyBefore++;
      } else if (a) {
        onlyAfter++;
      } else {
        neither++;
      }
    }
    return new Transition(pair.from(), pair.to(), split, both, onlyBefore, onlyAfter, neither,
        Proportion.wilson(both, both + onlyBefore));
  }

  private static Map<String, Boolean> memorizedById(List<Finding> findings) {
    Map<String, Boolean> out = new HashMap<>();
    for (Finding f : findings) {
      out.put(f.id(), f.memorized());
    }
    return out;
  }

  /** The oriented membership scores (higher = member), or null when one is missing. */
  private static double[] scores(List<Finding> findings, StageAuditSettings settings) {
    double[] out = new double[findings.size()];
    for (int i = 0; i < out.length; i++) {
      Finding f = findings.get(i);
      Double raw = f.membership() == null ? null : f.membership().get(settings.membershipScore());
      if (raw == null) {
        return null;
      }
      out[i] = settings.membershipScore().oriented(raw);
    }
    return out;
  }
}
