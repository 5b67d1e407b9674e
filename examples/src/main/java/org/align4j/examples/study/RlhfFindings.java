package org.align4j.examples.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.align4j.examples.study.StudyFinding.Verdict;
import org.align4j.memorization.stages.StageAuditResult;
import org.align4j.memorization.stages.Transition;
import org.align4j.memorization.stats.Proportion;

/**
 * Decides the paper's findings on one run's audit. A finding holds when the 95% Wilson intervals separate in the
 * paper's direction for every KL coefficient, is contradicted when they separate the other way for some
 * coefficient, and is otherwise inconclusive: nothing is forced.
 */
final class RlhfFindings {

  static final String CLAIM_A = "RLHF makes data used for reward modelling and RL much less likely to be memorized "
      + "than fine-tuning directly on it";
  static final String CLAIM_B = "examples memorized during SFT mostly stay memorized after RLHF";
  static final String CLAIM_C = "IPO on the preference data regurgitates that data more than RLHF";

  private RlhfFindings() {}

  static List<StudyFinding> decide(StageAuditResult r, List<Double> klCoefs) {
    return List.of(a(r, klCoefs), b(r, klCoefs), c(r, klCoefs));
  }

  /** (a): counterfactual memorization of the RM + RL data, each PPO model against direct fine-tuning. */
  private static StudyFinding a(StageAuditResult r, List<Double> klCoefs) {
    Proportion direct = pooled(r, "direct-ft");
    StringBuilder e = new StringBuilder("counterfactual memorization of the rm + rl splits: direct-ft ")
        .append(fmt(direct));
    List<Proportion> ppo = new ArrayList<>();
    for (double kl : klCoefs) {
      Proportion p = pooled(r, RlhfMemorizationStudy.ppoStage(kl));
      ppo.add(p);
      e.append("; ").append(RlhfMemorizationStudy.ppoStage(kl)).append(' ').append(fmt(p));
    }
    if (direct.successes() == 0) {
      return new StudyFinding("a", CLAIM_A, Verdict.INCONCLUSIVE, e + " (direct fine-tuning memorized nothing)");
    }
    return new StudyFinding("a", CLAIM_A, compare(direct, ppo), e.toString());
  }

  /** (b): retention of the SFT split's memorized examples from SFT to each PPO model; "mostly" is above 50%. */
  private static StudyFinding b(StageAuditResult r, List<Double> klCoefs) {
    Proportion sft = r.cell("sft", "sft").discoverable();
    StringBuilder e = new StringBuilder("SFT memorized ").append(fmt(sft)).append(" of the sft split; retained");
    boolean allAbove = true;
    boolean anyBelow = false;
    for (double kl : klCoefs) {
      Transition t = r.transition("sft", RlhfMemorizationStudy.ppoStage(kl), "sft");
      Proportion retention = t.retention();
      e.append(" by ").append(RlhfMemorizationStudy.ppoStage(kl)).append(' ').append(fmt(retention));
      allAbove &= retention.trials() > 0 && retention.lower() > 0.5;
      anyBelow |= retention.trials() > 0 && retention.upper() < 0.5;
    }
    if (sft.successes() == 0) {
      return new StudyFinding("b", CLAIM_B, Verdict.INCONCLUSIVE, e + " (SFT memorized nothing)");
    }
    Verdict v = allAbove ? Verdict.HELD : anyBelow ? Verdict.CONTRADICTED : Verdict.INCONCLUSIVE;
    return new StudyFinding("b", CLAIM_B, v, e.append(" (held: every lower bound above 50%)").toString());
  }

  /** (c): counterfactual memorization of the reward-model split, IPO against each PPO model. */
  private static StudyFinding c(StageAuditResult r, List<Double> klCoefs) {
    Proportion ipo = r.cell("ipo", "rm").counterfactual();
    StringBuilder e = new StringBuilder("counterfactual memorization of the rm split: ipo ").append(fmt(ipo));
    List<Proportion> ppo = new ArrayList<>();
    for (double kl : klCoefs) {
      Proportion p = r.cell(RlhfMemorizationStudy.ppoStage(kl), "rm").counterfactual();
      ppo.add(p);
      e.append("; ").append(RlhfMemorizationStudy.ppoStage(kl)).append(' ').append(fmt(p));
    }
    if (ipo.successes() == 0) {
      return new StudyFinding("c", CLAIM_C, Verdict.INCONCLUSIVE, e + " (IPO memorized nothing)");
    }
    return new StudyFinding("c", CLAIM_C, compare(ipo, ppo), e.toString());
  }

  /** HELD when {@code high}'s interval lies above every other's, CONTRADICTED when below some other's. */
  private static Verdict compare(Proportion high, List<Proportion> others) {
    boolean above = others.stream().allMatch(p -> p.upper() < high.lower());
    boolean below = others.stream().anyMatch(p -> p.lower() > high.upper());
    return above ? Verdict.HELD : below ? Verdict.CONTRADICTED : Verdict.INCONCLUSIVE;
  }

  /** The counterfactual counts of the rm and rl splits together. */
  private static Proportion pooled(StageAuditResult r, String stage) {
    Proportion rm = r.cell(stage, "rm").counterfactual();
    Proportion rl = r.cell(stage, "rl").counterfactual();
    return Proportion.wilson(rm.successes() + rl.successes(), rm.trials() + rl.trials());
  }

  /** {@code 12/64 = 18.8% [11.1%, 29.9%]}. */
  static String fmt(Proportion p) {
    return String.format(Locale.ROOT, "%d/%d = %.1f%% [%.1f%%, %.1f%%]", p.successes(), p.trials(), 100 * p.rate(),
        100 * p.lower(), 100 * p.upper());
  }
}
