package org.align4j.memorization.report;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.align4j.core.io.AtomicFiles;
import org.align4j.memorization.AuditConfig;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Finding;
import org.align4j.memorization.canary.CanaryExposure;
import org.align4j.memorization.distance.Alignment;
import org.align4j.memorization.inference.MembershipEvaluation;
import org.align4j.memorization.inference.RocPoint;
import org.align4j.memorization.inference.ScoreKind;
import org.align4j.memorization.stats.Proportion;

/**
 * Renders an {@link AuditReport} as one self-contained HTML page: inline CSS and inline SVG charts, no scripts and
 * no network. It shows the summary, the rate by metadata group with Wilson intervals, the histogram of normalised
 * distances, the ROC curves of the membership scores (when members and non-members are known), canary exposures
 * (when attached) and a table of memorized examples with target and generated text side by side, their
 * differences marked. Every piece of data text is HTML-escaped.
 */
public final class HtmlReport {

  /** Most memorized examples listed in the table. */
  public static final int MAX_ROWS = 500;

  private static final String CSS = "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}"
      + "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
      + "text-align:left;vertical-align:top}th{background:#f4f4f4}.meta{color:#555}"
      + "pre{white-space:pre-wrap;word-break:break-all;margin:0;font-size:12px;max-width:520px}"
      + "del{background:#fdd;text-decoration:line-through}ins{background:#dfd;text-decoration:none}"
      + ".num{text-align:right;font-variant-numeric:tabular-nums}";

  private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

  private HtmlReport() {}

  /** Writes the page to {@code path} atomically. */
  public static void write(AuditReport report, Path path) {
    AtomicFiles.writeString(path, render(report));
  }

  /** The page. */
  public static String render(AuditReport report) {
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>align4j memorization audit</title><style>").append(CSS).append("</style></head><body>\n");
    h.append("<h1>Memorization audit</h1>\n");
    AuditProvenance p = report.provenance();
    h.append("<p class=\"meta\">Model: ").append(Html.escape(p.model().kind()));
    if (p.control() != null) {
      h.append(" &middot; control: ").append(Html.escape(p.control().kind()));
    }
    h.append(" &middot; data: ").append(Html.escape(p.dataName())).append(" (SHA-256 ")
        .append(Html.escape(p.dataSha256())).append(") &middot; seed ").append(p.seed())
        .append(" &middot; align4j ").append(Html.escape(p.libraryVersion())).append(" &middot; ")
        .append(Html.escape(p.createdAt())).append("</p>\n");
    summary(h, report);
    groups(h, report.summary());
    h.append("<h2>Normalised edit distance</h2>\n<p>All scanned examples; the dashed line is the threshold ")
        .append(report.config().threshold()).append(".</p>\n")
        .append(Svg.histogram(report.summary().normalizedDistances(), report.config().threshold())).append('\n');
    membership(h, report.summary().membership());
    canaries(h, report.canaries());
    memorized(h, report);
    config(h, report.config());
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void summary(StringBuilder h, AuditReport report) {
    Summary s = report.summary();
    h.append("<h2>Summary</h2>\n<table>");
    row(h, "examples read", Long.toString(s.examplesRead()));
    row(h, "scanned", Long.toString(s.scanned()));
    row(h, "skipped (shorter than prefix + suffix)", Long.toString(s.skippedTooShort()));
    rate(h, "memorized", s.memorized());
    rate(h, "exact match", s.exactMatch());
    if (s.counterfactuallyMemorized() != null) {
      rate(h, "counterfactually memorized (target yes, control no), of all scanned", s.counterfactuallyMemorized());
      rate(h, "memorized by the control, of all scanned", s.controlMemorized());
      String key = report.config().membershipKey();
      Map<String, GroupSummary> byMembership = s.groups().getOrDefault(key, Map.of());
      for (String value : sortedValues(byMembership)) {
        rate(h, "counterfactually memorized, of the scanned with " + key + " = " + value,
            byMembership.get(value).counterfactuallyMemorized());
      }
    }
    if (s.meanExtractionProbability() != null) {
      row(h, "mean extraction probability p (n = " + report.config().samples() + ")",
          Html.num(s.meanExtractionProbability(), 4));
      row(h, "mean 1 - (1 - p)^n", Html.num(s.meanExtractionProbabilityAny(), 4));
    }
    row(h, "generated tokens", Long.toString(s.generatedTokens()));
    h.append("</table>\n");
  }

  private static void rate(StringBuilder h, String label, Proportion p) {
    row(h, label, p.successes() + " / " + p.trials() + " = " + Html.pct(p.rate()) + " (95% CI "
        + Html.pct(p.lower()) + " to " + Html.pct(p.upper()) + ")");
  }

  private static void row(StringBuilder h, String label, String value) {
    h.append("<tr><th>").append(Html.escape(label)).append("</th><td>").append(Html.escape(value))
        .append("</td></tr>");
  }

  private static void groups(StringBuilder h, Summary s) {
    if (s.groups().isEmpty()) {
      return;
    }
    h.append("<h2>Memorization rate by group</h2>\n<p>Bars: rate; whiskers: Wilson 95% interval.</p>\n");
    for (Map.Entry<String, Map<String, GroupSummary>> e : new TreeMap<>(s.groups()).entrySet()) {
      h.append("<h3>").append(Html.escape(e.getKey())).append("</h3>\n");
      List<String> labels = new ArrayList<>();
      List<Proportion> rates = new ArrayList<>();
      for (String value : sortedValues(e.getValue())) {
        GroupSummary g = e.getValue().get(value);
        labels.add(value + " (n=" + g.scanned() + ")");
        rates.add(g.memorized());
      }
      h.append(Svg.rateBars(labels, rates)).append('\n');
    }
    if (!s.droppedGroupKeys().isEmpty()) {
      h.append("<p class=\"meta\">Not broken down (too many values): ")
          .append(Html.escape(String.join(", ", s.droppedGroupKeys()))).append("</p>\n");
    }
  }

  /** A group's values, numbers first in numeric order (0, 1, 2, 4, 16, not 0, 1, 16, 2, 4), then text. */
  static List<String> sortedValues(Map<String, ?> groups) {
    List<String> values = new ArrayList<>(groups.keySet());
    values.sort(Comparator.comparing(HtmlReport::number, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(Comparator.naturalOrder()));
    return values;
  }

  private static BigDecimal number(String value) {
    return NUMBER.matcher(value).matches() ? new BigDecimal(value) : null;
  }

  private static void membership(StringBuilder h, Map<ScoreKind, MembershipEvaluation> m) {
    if (m.isEmpty()) {
      return;
    }
    h.append("<h2>Membership inference</h2>\n<table><tr><th>score</th><th>members</th><th>non-members</th>")
        .append("<th>ROC AUC</th><th>TPR at 1% FPR</th><th>TPR at 0.1% FPR</th></tr>");
    List<String> names = new ArrayList<>();
    List<List<RocPoint>> curves = new ArrayList<>();
    for (Map.Entry<ScoreKind, MembershipEvaluation> e : new TreeMap<>(m).entrySet()) {
      MembershipEvaluation ev = e.getValue();
      h.append("<tr><td>").append(Html.escape(e.getKey().name())).append("</td><td class=\"num\">")
          .append(ev.members()).append("</td><td class=\"num\">").append(ev.nonMembers())
          .append("</td><td class=\"num\">").append(Html.num(ev.auc(), 3)).append("</td><td class=\"num\">")
          .append(Html.pct(ev.tprAt1PercentFpr())).append("</td><td class=\"num\">")
          .append(Html.pct(ev.tprAt01PercentFpr())).append("</td></tr>");
      names.add(e.getKey().name() + " (AUC " + Html.num(ev.auc(), 3) + ")");
      curves.add(ev.curve());
    }
    h.append("</table>\n").append(Svg.roc(names, curves)).append('\n');
  }

  private static void canaries(StringBuilder h, List<CanaryExposure> canaries) {
    if (canaries.isEmpty()) {
      return;
    }
    h.append("<h2>Canary exposure</h2>\n");
    List<double[]> points = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    for (CanaryExposure c : canaries) {
      points.add(new double[] {c.insertions(), c.exposure()});
      titles.add(c.canaryId() + ": " + Html.num(c.exposure(), 2) + " bits");
    }
    h.append(Svg.scatter(points, titles, "insertions", "exposure (bits)")).append('\n');
    h.append("<table><tr><th>canary</th><th>text</th><th>insertions</th><th>log-perplexity</th>")
        .append("<th>exposure (bits)</th><th>max (log2 |R|)</th><th>method</th></tr>");
    for (CanaryExposure c : canaries) {
      h.append("<tr><td>").append(Html.escape(c.canaryId())).append("</td><td><pre>").append(Html.escape(c.text()))
          .append("</pre></td><td class=\"num\">").append(c.insertions()).append("</td><td class=\"num\">")
          .append(Html.num(c.logPerplexity(), 3)).append("</td><td class=\"num\">")
          .append(Html.num(c.exposure(), 2)).append("</td><td class=\"num\">")
          .append(Html.num(c.log2Candidates(), 2)).append("</td><td>").append(Html.escape(c.method()))
          .append("</td></tr>");
    }
    h.append("</table>\n");
  }

  private static void memorized(StringBuilder h, AuditReport report) {
    List<Finding> memorized = report.memorizedFindings();
    h.append("<h2>Memorized examples</h2>\n");
    if (memorized.isEmpty()) {
      h.append("<p>None.</p>\n");
      return;
    }
    if (memorized.size() > MAX_ROWS) {
      h.append("<p class=\"meta\">The first ").append(MAX_ROWS).append(" of ").append(memorized.size())
          .append(" (all are in the JSON report).</p>\n");
    }
    h.append("<p>Deleted from the target: <del>struck</del>; inserted by the model: <ins>green</ins>.</p>\n");
    h.append("<table><tr><th>id</th><th>distance</th><th>prompt</th><th>target</th><th>generated</th></tr>");
    for (Finding f : memorized.subList(0, Math.min(MAX_ROWS, memorized.size()))) {
      List<Alignment.Run> runs = Alignment.align(f.target(), f.generated());
      h.append("<tr><td>").append(Html.escape(f.id()));
      if (Boolean.TRUE.equals(f.counterfactuallyMemorized())) {
        h.append(" <small>(counterfactual)</small>");
      }
      h.append("</td><td class=\"num\">").append(f.tokenDistance()).append(" (")
          .append(Html.num(f.normalizedDistance(), 3)).append(")</td><td><pre>").append(Html.escape(f.prefix()))
          .append("</pre></td><td><pre>").append(side(runs, Alignment.Op.DELETE, "del")).append("</pre></td><td><pre>")
          .append(side(runs, Alignment.Op.INSERT, "ins")).append("</pre></td></tr>");
    }
    h.append("</table>\n");
  }

  private static String side(List<Alignment.Run> runs, Alignment.Op own, String tag) {
    StringBuilder s = new StringBuilder();
    for (Alignment.Run r : runs) {
      if (r.op() == Alignment.Op.EQUAL) {
        s.append(Html.escape(r.text()));
      } else if (r.op() == own) {
        s.append('<').append(tag).append('>').append(Html.escape(r.text())).append("</").append(tag).append('>');
      }
    }
    return s.toString();
  }

  private static void config(StringBuilder h, AuditConfig c) {
    h.append("<h2>Configuration</h2>\n<table>");
    row(h, "prefix tokens", Integer.toString(c.prefixTokens()));
    row(h, "suffix tokens", Integer.toString(c.suffixTokens()));
    row(h, "threshold", Double.toString(c.threshold()));
    row(h, "normalisation", c.normalization().name());
    row(h, "prefix offsets", c.prefixOffsets().toString());
    row(h, "prepend BOS", Boolean.toString(c.prependBos()));
    row(h, "probabilistic extraction", c.samples() == 0 ? "off (greedy continuations only)"
        : c.samples() + " sampled continuations per example at temperature " + c.temperature());
    row(h, "Min-K%", Double.toString(c.minKPercent()));
    row(h, "redaction", c.redactVisibleChars() < 0 ? "off" : c.redactVisibleChars() + " characters shown");
    row(h, "keep only memorized", Boolean.toString(c.keepOnlyMemorized()));
    row(h, "batch size, threads", c.batchSize() + ", " + c.threads());
    h.append("</table>\n");
  }
}
