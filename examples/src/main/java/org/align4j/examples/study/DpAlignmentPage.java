package org.align4j.examples.study;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code study.html} of the private alignment study: the notes, utility-against-epsilon and exposure-against-epsilon
 * charts (inline SVG, one point per target epsilon in increasing order, {@code inf} last), and the tables. Every
 * text taken from data or settings is escaped.
 */
final class DpAlignmentPage {

  /** The title; also how an existing {@code study.html} is recognised as this study's. */
  static final String TITLE = "align4j private alignment study";

  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

  private DpAlignmentPage() {}

  static String html(DpAlignmentResult r) {
    List<DpEpsilonRow> rows = new ArrayList<>(r.rows());
    rows.sort(Comparator.comparingDouble(DpEpsilonRow::targetEpsilon));
    List<String> x = rows.stream().map(row -> DpAlignmentConfig.label(row.targetEpsilon())).toList();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(TITLE)
        .append("</title><style>body{font-family:sans-serif;max-width:980px;margin:2em auto}table{border-collapse:"
            + "collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style></head><body>");
    h.append("<h1>").append(TITLE).append("</h1>");
    h.append("<p>").append(escape(DpAlignmentReport.COMPOSITION)).append("</p>");
    h.append("<p><b>").append(escape(DpAlignmentReport.HONESTY)).append("</b></p>");
    for (String w : r.warnings()) {
      h.append("<p>Warning: ").append(escape(w)).append("</p>");
    }
    h.append("<h2>Utility against epsilon</h2>");
    h.append(chart("utility (held out)", x, List.of("reward accuracy", "judge: ppo policy", "judge: sft model"),
        List.of(series(rows, row -> row.utility().rewardHeldOutAccuracy()),
            series(rows, row -> row.utility().ppoJudge()), series(rows, row -> row.utility().sftJudge())), 1));
    double maxLoss = rows.stream().mapToDouble(row -> row.utility().sftHeldOutLoss()).max().orElse(1);
    h.append(chart("SFT held-out loss (nats/token)", x, List.of("sft loss"),
        List.of(series(rows, row -> row.utility().sftHeldOutLoss())), Math.max(1e-9, maxLoss * 1.1)));
    h.append("<h2>Exposure against epsilon (SFT model)</h2>");
    List<String> names = new ArrayList<>();
    List<double[]> exposure = new ArrayList<>();
    double maxExposure = 1;
    for (int k : List.of(16, 4, 1, 0)) {
      names.add(k == 0 ? "reference (never inserted)" : "canaries inserted " + k + "x");
      exposure.add(series(rows, row -> row.audits().get(0).exposure().getOrDefault(k, Double.NaN)));
    }
    for (DpEpsilonRow row : rows) {
      maxExposure = Math.max(maxExposure, row.audits().get(0).maxExposure());
    }
    h.append(chart("mean canary exposure (bits)", x, names, exposure, maxExposure));
    h.append("<h2>Per epsilon</h2><table><tr><th>target</th><th>stage</th><th>epsilon</th><th>delta</th>"
        + "<th>sigma</th><th>steps</th><th>q</th><th>records</th><th>seconds</th></tr>");
    for (DpEpsilonRow row : r.rows()) {
      for (DpStageResult s : row.stages()) {
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%.2g</td><td>%.4g</td>"
            + "<td>%d</td><td>%.4f</td><td>%d</td><td>%.1f</td></tr>", escape(DpAlignmentConfig.label(
            row.targetEpsilon())), escape(s.stage()), escape(DpAlignmentReport.fmt(s.epsilon())), s.delta(),
            s.noiseMultiplier(), s.steps(), s.samplingRate(), s.records(), s.seconds()));
      }
      h.append("<tr><td colspan=\"9\" style=\"text-align:left\">total: ").append(escape(DpAlignmentReport.total(row)))
          .append("</td></tr>");
    }
    h.append("</table><h2>Upper bound beside lower bound</h2><table><tr><th>target</th><th>total epsilon</th>"
        + "<th>model</th><th>memorized</th><th>PII</th><th>exposure (bits)</th></tr>");
    for (DpEpsilonRow row : r.rows()) {
      for (DpModelAudit a : row.audits()) {
        h.append("<tr><td>").append(escape(DpAlignmentConfig.label(row.targetEpsilon()))).append("</td><td>")
            .append(escape(DpAlignmentReport.fmt(row.totalEpsilon()))).append("</td><td>").append(escape(a.model()))
            .append("</td><td>").append(escape(DpAlignmentReport.count(a.memorized()))).append("</td><td>")
            .append(escape(DpAlignmentReport.count(a.pii()))).append("</td><td>")
            .append(escape(DpAlignmentReport.exposures(a))).append("</td></tr>");
      }
    }
    h.append("</table><h2>Settings</h2><pre>").append(escape(r.config().fingerprint().toString())).append("</pre>");
    h.append("<p>Stage times (a shared machine, under load): ").append(escape(String.join(", ", r.timings().stream()
        .map(t -> String.format(Locale.ROOT, "%s %.1f s", t.stage(), t.seconds())).toList()))).append("</p>");
    return h.append("</body></html>\n").toString();
  }

  private static double[] series(List<DpEpsilonRow> rows, java.util.function.ToDoubleFunction<DpEpsilonRow> f) {
    return rows.stream().mapToDouble(f).toArray();
  }

  /** A line chart of {@code series} over the target epsilons {@code x}, y from 0 to {@code yMax}. */
  static String chart(String title, List<String> x, List<String> names, List<double[]> series, double yMax) {
    return chart(title, "target epsilon", x, names, series, yMax);
  }

  /**
   * A line chart of {@code series} over the categories {@code x} (axis named {@code xLabel}), y from 0 to
   * {@code yMax}; NaN points skipped.
   */
  static String chart(String title, String xLabel, List<String> x, List<String> names, List<double[]> series,
      double yMax) {
    int w = 640;
    int h = 260;
    int left = 50;
    int top = 30;
    int plotW = 380;
    int plotH = 180;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" role=\"img\"><title>").append(escape(title)).append("</title>");
    s.append("<text x=\"").append(left).append("\" y=\"18\" font-size=\"13\">").append(escape(title))
        .append("</text>");
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>", left,
        top + plotH, left + plotW, top + plotH));
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>", left, top,
        left, top + plotH));
    for (int t = 0; t <= 4; t++) {
      double v = yMax * t / 4;
      double y = top + plotH - plotH * t / 4.0;
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.3g"
          + "</text>", left - 4, y + 3, v));
    }
    double step = x.size() == 1 ? 0 : (double) plotW / (x.size() - 1);
    for (int i = 0; i < x.size(); i++) {
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">",
          left + i * step, top + plotH + 14)).append(escape(x.get(i))).append("</text>");
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">",
        left + plotW / 2, top + plotH + 32)).append(escape(xLabel)).append("</text>");
    for (int k = 0; k < series.size(); k++) {
      String color = COLORS[k % COLORS.length];
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < series.get(k).length; i++) {
        double v = series.get(k)[i];
        if (Double.isNaN(v)) {
          continue;
        }
        double px = left + i * step;
        double py = top + plotH - plotH * Math.max(0, Math.min(1, v / yMax));
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>", px, py,
            color)).append(escape(names.get(k) + " at " + x.get(i) + ": "
            + String.format(Locale.ROOT, "%.4g", v))).append("</title></circle>");
      }
      s.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" points=\"")
          .append(points.toString().strip()).append("\"/>");
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>",
          left + plotW + 16, top + k * 18, color));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">", left + plotW + 30,
          top + k * 18 + 9)).append(escape(names.get(k))).append("</text>");
    }
    return s.append("</svg>").toString();
  }

  /** {@code text} with the HTML special characters replaced by entities. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
