package org.align4j.memorization;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.align4j.memorization.canary.CanaryExposure;
import org.align4j.memorization.report.AuditProvenance;
import org.align4j.memorization.report.HtmlReport;
import org.align4j.memorization.report.ReportJson;
import org.align4j.memorization.report.Summary;

/**
 * The immutable result of a scan: its configuration, provenance, summary, per-example findings (all of them, or
 * only the memorized ones in keep-only-memorized mode) and, when attached, canary exposures. Writes and reads
 * JSON (equal after a round trip) and writes one self-contained HTML page.
 *
 * @param config the scan's settings
 * @param provenance models, data hash, seed and library version
 * @param summary counts and rates over every scanned example
 * @param findings per-example findings, in data order
 * @param canaries canary exposures attached with {@link #withCanaries}, possibly empty
 */
public record AuditReport(
    AuditConfig config, AuditProvenance provenance, Summary summary, List<Finding> findings,
    List<CanaryExposure> canaries) {

  /** Validates and copies. */
  public AuditReport {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(provenance, "provenance");
    Objects.requireNonNull(summary, "summary");
    findings = List.copyOf(Objects.requireNonNull(findings, "findings"));
    canaries = List.copyOf(canaries == null ? List.of() : canaries);
  }

  /** The memorized findings. */
  public List<Finding> memorizedFindings() {
    return findings.stream().filter(Finding::memorized).toList();
  }

  /** A copy with these canary exposures attached (shown in the HTML page). */
  public AuditReport withCanaries(List<CanaryExposure> exposures) {
    return new AuditReport(config, provenance, summary, findings, exposures);
  }

  /**
   * Compares this report (the earlier stage) with {@code after} (a later stage audited on the same examples),
   * matching findings by id. An id missing from a keep-only-memorized report counts as not memorized there; one
   * missing from a full report is unmatched.
   */
  public StageComparison compare(AuditReport after) {
    Objects.requireNonNull(after, "after");
    Map<String, Boolean> before = memorizedById(this);
    Map<String, Boolean> later = memorizedById(after);
    Set<String> ids = new LinkedHashSet<>(before.keySet());
    ids.addAll(later.keySet());
    List<String> both = new ArrayList<>();
    List<String> onlyBefore = new ArrayList<>();
    List<String> onlyAfter = new ArrayList<>();
    List<String> neither = new ArrayList<>();
    List<String> unmatched = new ArrayList<>();
    for (String id : ids) {
      Boolean b = before.containsKey(id) ? before.get(id) : config.keepOnlyMemorized() ? Boolean.FALSE : null;
      Boolean a = later.containsKey(id) ? later.get(id) : after.config.keepOnlyMemorized() ? Boolean.FALSE : null;
      if (a == null || b == null) {
        unmatched.add(id);
      } else if (a && b) {
        both.add(id);
      } else if (b) {
        onlyBefore.add(id);
      } else if (a) {
        onlyAfter.add(id);
      } else {
        neither.add(id);
      }
    }
    return new StageComparison(both, onlyBefore, onlyAfter, neither, unmatched);
  }

  private static Map<String, Boolean> memorizedById(AuditReport report) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (Finding f : report.findings) {
      out.put(f.id(), f.memorized());
    }
    return out;
  }

  /** This report as pretty-printed JSON. */
  public String toJson() {
    return ReportJson.write(this);
  }

  /**
   * Reads a report from JSON.
   *
   * @throws org.align4j.core.data.DataFormatException when the text is not a valid report
   */
  public static AuditReport fromJson(String json) {
    return ReportJson.read(json, "<string>");
  }

  /** Writes this report as JSON to {@code path}, atomically. */
  public void writeJson(Path path) {
    ReportJson.write(this, path);
  }

  /** Reads a report written by {@link #writeJson}. */
  public static AuditReport readJson(Path path) {
    return ReportJson.read(path);
  }

  /** This report as one self-contained HTML page (inline CSS and SVG; no network needed). */
  public String toHtml() {
    return HtmlReport.render(this);
  }

  /** Writes the HTML page to {@code path}, atomically. */
  public void writeHtml(Path path) {
    HtmlReport.write(this, path);
  }
}
