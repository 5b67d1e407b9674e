package org.align4j.memorization.report;

import org.align4j.memorization.stages.StageAuditResult;
import org.align4j.memorization.stages.StageAuditSettings;
import org.align4j.memorization.stages.StagePair;
import org.align4j.memorization.stages.StageSplitAudit;
import org.align4j.memorization.stages.Transition;
import org.align4j.memorization.stats.Proportion;

/**
 * Renders a {@link StageAuditResult} as one self-contained HTML page (inline CSS and SVG, no scripts, no
 * network): the stage &times; split matrix of memorization rates with Wilson intervals, membership AUCs and PII
 * regurgitation, one stacked bar per transition, and the settings. Every piece of data text is HTML-escaped.
 */
public final class StageAuditPage {

  private static final String CSS = "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}"
      + "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
      + "text-align:left;vertical-align:top}th{background:#f4f4f4}.meta{color:#555}small{color:#555}"
      + ".num{text-align:right;font-variant-numeric:tabular-nums}";
  private static final String[] COLORS = {"#d62728", "#ff7f0e", "#1f77b4", "#cccccc"};
  private static final String[] PARTS = {"both", "only before", "only after", "neither"};

  private StageAuditPage() {}

  /** The page. */
  public static String render(StageAuditResult r) {
    return render(r, "Memorization across stages", java.util.List.of());
  }

  /** The page under {@code title}, with {@code notes} (plain text, escaped) as paragraphs before the matrix. */
  public static String render(StageAuditResult r, String title, java.util.List<String> notes) {
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(Html.escape(title)).append("</title><style>").append(CSS).append("</style></head><body>\n")
        .append("<h1>").append(Html.escape(title)).append("</h1>\n");
    for (String note : notes) {
      h.append("<p>").append(Html.escape(note)).append("</p>\n");
    }
    matrix(h, r);
    transitions(h, r);
    settings(h, r.settings());
    return h.append("</body></html>\n").toString();
  }

  private static void matrix(StringBuilder h, StageAuditResult r) {
    h.append("<h2>Stage &times; split</h2>\n<p>Each cell: discoverable memorization, counterfactual memorization ")
        .append("(against the control), membership AUC (against the non-member split) and PII regurgitation, ")
        .append("with Wilson 95% intervals.</p>\n<table><tr><th>stage</th>");
    for (String split : r.splits()) {
      h.append("<th>").append(Html.escape(split)).append(" <small>(n = ").append(r.splitSizes().get(split))
          .append(")</small></th>");
    }
    h.append("</tr>\n");
    for (String stage : r.stages()) {
      h.append("<tr><th>").append(Html.escape(stage)).append("</th>");
      for (String split : r.splits()) {
        StageSplitAudit c = r.cell(stage, split);
        h.append("<td class=\"num\">disc ").append(rate(c.discoverable()));
        if (c.counterfactual() != null) {
          h.append("<br>cf ").append(rate(c.counterfactual()));
        }
        if (c.membershipAuc() != null) {
          h.append("<br>AUC ").append(Html.num(c.membershipAuc(), 3));
        }
        if (c.piiRegurgitated().trials() > 0) {
          h.append("<br>PII ").append(c.piiRegurgitated().successes()).append('/')
              .append(c.piiRegurgitated().trials());
        }
        h.append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static String rate(Proportion p) {
    return Html.pct(p.rate()) + " <small>[" + Html.pct(p.lower()) + ", " + Html.pct(p.upper()) + "]</small>";
  }

  private static void transitions(StringBuilder h, StageAuditResult r) {
    if (r.transitions().isEmpty()) {
      return;
    }
    h.append("<h2>Transitions</h2>\n<p>");
    for (int i = 0; i < PARTS.length; i++) {
      h.append("<span style=\"background:").append(COLORS[i]).append("\">&nbsp;&nbsp;&nbsp;</span> ")
          .append(PARTS[i]).append(" &nbsp; ");
    }
    h.append("memorized; retention = both / (both + only before).</p>\n");
    for (StagePair pair : r.settings().pairs()) {
      h.append("<h3>").append(Html.escape(pair.from())).append(" &rarr; ").append(Html.escape(pair.to()))
          .append("</h3>\n");
      var rows = r.transitions().stream().filter(t -> t.from().equals(pair.from()) && t.to().equals(pair.to()))
          .toList();
      h.append(bars(rows)).append('\n');
    }
  }

  /** One stacked bar per split: both, only before, only after, neither, with counts and retention. */
  static String bars(java.util.List<Transition> rows) {
    int row = 24;
    int left = 160;
    int width = 440;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(left + width + 260)
        .append("\" height=\"").append(row * rows.size() + 10).append("\" role=\"img\">");
    for (int i = 0; i < rows.size(); i++) {
      Transition t = rows.get(i);
      long[] counts = {t.both(), t.onlyBefore(), t.onlyAfter(), t.neither()};
      double total = Math.max(1, t.total());
      int y = 5 + i * row;
      s.append("<text x=\"").append(left - 6).append("\" y=\"").append(y + 14)
          .append("\" text-anchor=\"end\" font-size=\"12\">").append(Html.escape(t.split())).append("</text>");
      double x = left;
      for (int k = 0; k < counts.length; k++) {
        double w = counts[k] / total * width;
        s.append("<rect x=\"").append(Html.num(x, 1)).append("\" y=\"").append(y + 2).append("\" width=\"")
            .append(Html.num(w, 1)).append("\" height=\"16\" fill=\"").append(COLORS[k]).append("\"><title>")
            .append(PARTS[k]).append(": ").append(counts[k]).append("</title></rect>");
        x += w;
      }
      s.append("<text x=\"").append(left + width + 6).append("\" y=\"").append(y + 14).append("\" font-size=\"11\">")
          .append(counts[0]).append(" / ").append(counts[1]).append(" / ").append(counts[2]).append(" / ")
          .append(counts[3]);
      if (t.retention().trials() > 0) {
        s.append(" &middot; retention ").append(Html.pct(t.retention().rate())).append(" [")
            .append(Html.pct(t.retention().lower())).append(", ").append(Html.pct(t.retention().upper()))
            .append(']');
      }
      s.append("</text>");
    }
    return s.append("</svg>").toString();
  }

  private static void settings(StringBuilder h, StageAuditSettings s) {
    h.append("<h2>Settings</h2>\n<table>");
    setting(h, "prefix tokens", Integer.toString(s.prefixTokens()));
    setting(h, "suffix tokens", Integer.toString(s.suffixTokens()));
    setting(h, "threshold (normalised edit distance)", Double.toString(s.threshold()));
    setting(h, "batch size", Integer.toString(s.batchSize()));
    setting(h, "seed", Long.toString(s.seed()));
    setting(h, "control model", s.control() == null ? "none" : s.control());
    setting(h, "non-member split", s.nonMemberSplit() == null ? "none" : s.nonMemberSplit());
    setting(h, "membership score", s.membershipScore().name());
    setting(h, "PII metadata key", s.piiKey());
    h.append("</table>\n");
  }

  private static void setting(StringBuilder h, String name, String value) {
    h.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(Html.escape(value))
        .append("</td></tr>");
  }
}
