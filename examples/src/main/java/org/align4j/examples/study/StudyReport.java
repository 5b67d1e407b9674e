package org.align4j.examples.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.align4j.core.io.AtomicFiles;
import org.align4j.memorization.stages.StageAuditResult;
import org.align4j.memorization.stages.StageSplitAudit;
import org.align4j.memorization.stages.Transition;

/** The study's outputs: {@code study.json}, {@code study.html} and the summary table. */
public final class StudyReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StudyReport() {}

  static RlhfMemorizationResult write(RlhfMemorizationConfig c, StageAuditResult audit, double rewardAccuracy,
      List<StudyFinding> findings, List<StageTiming> timings) {
    Path html = c.outputDir().resolve("study.html");
    Path json = c.outputDir().resolve("study.json");
    RlhfMemorizationResult result = new RlhfMemorizationResult(c, audit, rewardAccuracy, findings, timings, html,
        json);
    AtomicFiles.writeString(json, toJson(result, true));
    List<String> notes = new ArrayList<>();
    notes.add("Pappu et al. 2024 on this run (seed " + c.seed() + ", " + c.splitSize() + " unique examples per "
        + "split, data: " + (c.data() == null ? "embedded synthetic code corpus" : c.data().toString()) + "). "
        + "Reward model accuracy on its pairs: " + String.format(Locale.ROOT, "%.3f", rewardAccuracy) + ".");
    findings.forEach(f -> notes.add(f.line()));
    notes.add("Stage times: " + String.join(", ", timings.stream().map(StudyReport::timing).toList()) + ".");
    audit.writeHtml(html, "Memorization in RLHF and IPO", notes);
    return result;
  }

  /** The result as one JSON object: settings, findings, stage times, reward accuracy and the whole audit. */
  public static String toJson(RlhfMemorizationResult r, boolean pretty) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("study", "rlhf-memorization");
    m.put("settings", r.config().fingerprint());
    m.put("findings", r.findings().stream().map(f -> Map.of("id", f.id(), "claim", f.claim(),
        "verdict", f.verdict().name(), "evidence", f.evidence())).toList());
    m.put("timings", r.timings().stream().map(t -> Map.of("stage", t.stage(), "seconds", t.seconds(),
        "resumed", t.resumed())).toList());
    m.put("reward_accuracy", r.rewardAccuracy());
    m.put("html", r.html().toString());
    m.put("json", r.json().toString());
    try {
      m.put("audit", JSON.readTree(r.audit().toJson()));
      return pretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) : JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the study as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The summary: one row per model with its discoverable (and counterfactual) memorization rate on each split and
   * its membership AUC against the held-out split, the transitions from SFT, the findings and the stage times.
   */
  public static String table(RlhfMemorizationResult r) {
    StageAuditResult a = r.audit();
    StringBuilder s = new StringBuilder();
    s.append("memorized (discoverable / counterfactual), membership AUC vs held-out\n");
    s.append(String.format(Locale.ROOT, "%-12s", "model"));
    for (String split : a.splits()) {
      s.append(String.format(Locale.ROOT, " | %-24s", split + " (n=" + a.splitSizes().get(split) + ")"));
    }
    s.append('\n');
    for (String stage : a.stages()) {
      s.append(String.format(Locale.ROOT, "%-12s", stage));
      for (String split : a.splits()) {
        StageSplitAudit c = a.cell(stage, split);
        String cell = String.format(Locale.ROOT, "%5.1f%% / %5.1f%%", 100 * c.discoverable().rate(),
            100 * c.counterfactual().rate());
        if (c.membershipAuc() != null) {
          cell += String.format(Locale.ROOT, " %.2f", c.membershipAuc());
        }
        s.append(String.format(Locale.ROOT, " | %-24s", cell));
      }
      s.append('\n');
    }
    s.append("\ntransitions from sft (both / only sft / only after / neither; retention)\n");
    for (Transition t : a.transitions()) {
      s.append(String.format(Locale.ROOT, "%-10s %-8s %3d / %3d / %3d / %3d", t.to(), t.split(), t.both(),
          t.onlyBefore(), t.onlyAfter(), t.neither()));
      s.append(t.retention().trials() == 0 ? "  retention n/a\n" : "  retention "
          + RlhfFindings.fmt(t.retention()) + "\n");
    }
    s.append(String.format(Locale.ROOT, "%nreward model accuracy on its pairs: %.3f%n%n", r.rewardAccuracy()));
    r.findings().forEach(f -> s.append(f.line()).append('\n'));
    s.append("\nstage times: ").append(String.join(", ", r.timings().stream().map(StudyReport::timing).toList()))
        .append('\n');
    s.append("report: ").append(r.html()).append(" and ").append(r.json()).append('\n');
    return s.toString();
  }

  private static String timing(StageTiming t) {
    return t.stage() + (t.resumed() ? " (resumed)" : String.format(Locale.ROOT, " %.1f s", t.seconds()));
  }
}
