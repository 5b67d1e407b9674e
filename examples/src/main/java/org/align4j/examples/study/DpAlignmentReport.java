package org.align4j.examples.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.align4j.core.io.AtomicFiles;
import org.align4j.memorization.stats.Proportion;

/** The private alignment study's outputs: {@code study.json}, {@code study.html} and the tables. */
public final class DpAlignmentReport {

  /** How the stages compose, stated in every output. */
  public static final String COMPOSITION = "Each stage trains on its own split (SFT examples, reward pairs, RL "
      + "prompts; the splits are disjoint), so the stages compose in parallel: the pipeline's epsilon is the "
      + "largest stage epsilon, and each stage may spend the whole target. A stage trained without privacy makes "
      + "the total infinite.";

  /** What the two kinds of privacy figure mean, stated in every output. */
  public static final String HONESTY = "The accountant's epsilon is an upper bound on what any attack can learn "
      + "about one record; the audit (memorization, PII regurgitation, canary exposure) is what one set of attacks "
      + "did learn, an empirical lower bound. Canaries inserted k times are covered only by group privacy (about k "
      + "times epsilon), so their exposure may grow with k even under DP.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private DpAlignmentReport() {}

  static DpAlignmentResult write(DpAlignmentConfig c, List<DpEpsilonRow> rows, List<String> warnings,
      List<StageTiming> timings) {
    Path html = c.outputDir().resolve("study.html");
    Path json = c.outputDir().resolve("study.json");
    DpAlignmentResult result = new DpAlignmentResult(c, rows, warnings, timings, html, json);
    AtomicFiles.writeString(json, toJson(result, true));
    AtomicFiles.writeString(html, DpAlignmentPage.html(result));
    return result;
  }

  /** An epsilon for JSON: the number, or {@code "inf"}. */
  static Object epsilon(double e) {
    return Double.isInfinite(e) ? "inf" : e;
  }

  /** The result as one JSON object: settings, the rows, the warnings, the notes and the stage times. */
  public static String toJson(DpAlignmentResult r, boolean pretty) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("study", "dp-alignment");
    m.put("settings", r.config().fingerprint());
    m.put("composition", COMPOSITION);
    m.put("bounds", HONESTY);
    m.put("warnings", r.warnings());
    m.put("rows", r.rows().stream().map(DpAlignmentReport::row).toList());
    m.put("timings", r.timings().stream().map(t -> Map.of("stage", t.stage(), "seconds", t.seconds())).toList());
    m.put("html", r.html().toString());
    m.put("json", r.json().toString());
    try {
      return pretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) : JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the study as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static Map<String, Object> row(DpEpsilonRow row) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target_epsilon", epsilon(row.targetEpsilon()));
    m.put("ledger_epsilon", epsilon(row.ledgerEpsilon()));
    m.put("total_epsilon", epsilon(row.totalEpsilon()));
    m.put("total_delta", row.totalDelta());
    m.put("non_private_stages", row.nonPrivateStages());
    m.put("stages", row.stages().stream().map(s -> {
      Map<String, Object> st = new LinkedHashMap<>();
      st.put("stage", s.stage());
      st.put("target_epsilon", epsilon(s.targetEpsilon()));
      st.put("epsilon", epsilon(s.epsilon()));
      st.put("delta", s.delta());
      st.put("noise_multiplier", s.noiseMultiplier());
      st.put("steps", s.steps());
      st.put("sampling_rate", s.samplingRate());
      st.put("records", s.records());
      st.put("unit", s.unit());
      st.put("seconds", s.seconds());
      return st;
    }).toList());
    DpUtility u = row.utility();
    Map<String, Object> utility = new LinkedHashMap<>();
    utility.put("sft_held_out_loss", u.sftHeldOutLoss());
    utility.put("reward_held_out_accuracy", u.rewardHeldOutAccuracy());
    utility.put("ppo_mean_reward", u.ppoMeanReward());
    utility.put("ppo_kl", u.ppoKl());
    utility.put("sft_judge", u.sftJudge());
    utility.put("ppo_judge", u.ppoJudge());
    m.put("utility", utility);
    m.put("audits", row.audits().stream().map(a -> {
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("model", a.model());
      am.put("memorized", proportion(a.memorized()));
      am.put("pii", proportion(a.pii()));
      Map<String, Double> exposure = new LinkedHashMap<>();
      a.exposure().keySet().stream().sorted().forEach(k -> exposure.put(String.valueOf(k), a.exposure().get(k)));
      am.put("exposure_by_insertions", exposure);
      am.put("max_exposure", a.maxExposure());
      return am;
    }).toList());
    return m;
  }

  private static Map<String, Object> proportion(Proportion p) {
    return Map.of("successes", p.successes(), "trials", p.trials(), "rate", p.rate());
  }

  /** The tables: one per target epsilon, with each stage's spending, the total, utility and the audit. */
  public static String table(DpAlignmentResult r) {
    StringBuilder s = new StringBuilder();
    for (DpEpsilonRow row : r.rows()) {
      s.append("== target epsilon ").append(DpAlignmentConfig.label(row.targetEpsilon())).append('\n');
      s.append(String.format(Locale.ROOT, "%-7s %9s %9s %9s %7s %8s %8s %8s%n", "stage", "epsilon", "delta", "sigma",
          "steps", "q", "records", "seconds"));
      for (DpStageResult st : row.stages()) {
        s.append(String.format(Locale.ROOT, "%-7s %9s %9.2g %9.4g %7d %8.4f %8d %8.1f%n", st.stage(),
            fmt(st.epsilon()), st.delta(), st.noiseMultiplier(), st.steps(), st.samplingRate(), st.records(),
            st.seconds()));
      }
      s.append("total (ledger, final policy's history): ").append(total(row)).append('\n');
      DpUtility u = row.utility();
      s.append(String.format(Locale.ROOT, "utility: sft held-out loss %.3f | reward held-out accuracy %.3f | ppo "
          + "reward %.3f, KL %.3f | judge sft %.3f, ppo %.3f%n", u.sftHeldOutLoss(), u.rewardHeldOutAccuracy(),
          u.ppoMeanReward(), u.ppoKl(), u.sftJudge(), u.ppoJudge()));
      for (DpModelAudit a : row.audits()) {
        s.append(String.format(Locale.ROOT, "audit %-3s: memorized %s, PII %s, exposure bits (of %.1f) %s%n",
            a.model(), count(a.memorized()), count(a.pii()), a.maxExposure(), exposures(a)));
      }
      s.append('\n');
    }
    s.append(COMPOSITION).append('\n').append(HONESTY).append('\n');
    r.warnings().forEach(w -> s.append("warning: ").append(w).append('\n'));
    s.append("stage times (shared machine, under load): ").append(String.join(", ", r.timings().stream()
        .map(t -> String.format(Locale.ROOT, "%s %.1f s", t.stage(), t.seconds())).toList())).append('\n');
    s.append("report: ").append(r.html()).append(" and ").append(r.json()).append('\n');
    return s.toString();
  }

  /** The total as text: the number, or why it is infinite. */
  static String total(DpEpsilonRow row) {
    if (Double.isFinite(row.totalEpsilon())) {
      return String.format(Locale.ROOT, "epsilon %.4g at delta %.2g", row.totalEpsilon(), row.totalDelta());
    }
    String why = "epsilon inf: stage" + (row.nonPrivateStages().size() == 1 ? " " : "s ")
        + String.join(", ", row.nonPrivateStages()) + " trained without privacy, so there is no finite guarantee";
    return Double.isFinite(row.ledgerEpsilon()) ? why + String.format(Locale.ROOT, " (the private stages' data "
        + "alone: epsilon %.4g)", row.ledgerEpsilon()) : why;
  }

  static String fmt(double epsilon) {
    return Double.isInfinite(epsilon) ? "inf" : String.format(Locale.ROOT, "%.4g", epsilon);
  }

  static String count(Proportion p) {
    return p.trials() == 0 ? "n/a" : p.successes() + "/" + p.trials();
  }

  static String exposures(DpModelAudit a) {
    return String.join(", ", a.exposure().keySet().stream().sorted().map(k -> String.format(Locale.ROOT,
        "%s %.2f", k == 0 ? "ref" : k + "x", a.exposure().get(k))).toList());
  }
}
