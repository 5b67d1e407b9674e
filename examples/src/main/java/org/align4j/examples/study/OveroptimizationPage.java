package org.align4j.examples.study;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * {@code study.html} of the over-optimisation study: gold and proxy reward against KL (PPO and best-of-n) and
 * against sqrt(KL) (best-of-n), one line per reward setting (inline SVG), the findings and the tables. Every text
 * taken from data or settings is escaped.
 */
final class OveroptimizationPage {

  /** The title; also how an existing {@code study.html} is recognised as this study's. */
  static final String TITLE = "align4j reward over-optimisation study";

  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
      "#e377c2", "#7f7f7f"};

  private OveroptimizationPage() {}

  static String html(OveroptimizationResult r) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(TITLE)
        .append("</title><style>body{font-family:sans-serif;max-width:980px;margin:2em auto}table{border-collapse:"
            + "collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style></head><body>");
    h.append("<h1>").append(TITLE).append("</h1><p>").append(escape(r.gold())).append(String.format(Locale.ROOT,
        "; the SFT policy scores %.4f. Proxies are normalised to mean 0, standard deviation 1 on SFT samples.",
        r.sftGold())).append("</p><h2>Findings</h2><ul>");
    r.findings().forEach(f -> h.append("<li>").append(escape(f)).append("</li>"));
    h.append("</ul>");
    for (String method : List.of("ppo", "best-of-n")) {
      List<OveroptimizationCurve> curves = r.curves().stream().filter(c -> c.method().equals(method)).toList();
      h.append("<h2>").append(escape(method)).append("</h2>");
      h.append(chart("gold reward against KL (" + method + ")", "KL (nats)", curves,
          OveroptimizationPoint::kl, OveroptimizationPoint::gold));
      h.append(chart("proxy reward against KL (" + method + ")", "KL (nats)", curves,
          OveroptimizationPoint::kl, OveroptimizationPoint::proxy));
      if (method.equals("best-of-n")) {
        h.append(chart("gold reward against sqrt(KL) (best-of-n)", "sqrt(KL)", curves,
            OveroptimizationPoint::sqrtKl, OveroptimizationPoint::gold));
      }
    }
    h.append("<h2>Proxies</h2><table><tr><th>proxy</th><th>pairs</th><th>held-out agreement with gold</th>"
        + "<th>seconds</th></tr>");
    for (OveroptimizationProxy p : r.proxies()) {
      h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.3f</td><td>%.1f</td></tr>",
          escape(p.name()), p.pairs(), p.heldOutAccuracy(), p.seconds()));
    }
    h.append("</table><h2>Curves</h2><table><tr><th>setting</th><th>method</th><th>step</th><th>KL</th>"
        + "<th>sqrt KL</th><th>proxy</th><th>gold</th></tr>");
    for (OveroptimizationCurve c : r.curves()) {
      for (OveroptimizationPoint p : c.points()) {
        h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%.4f</td><td>%.4f</td>"
            + "<td>%.4f</td><td>%.4f</td></tr>", escape(c.setting()), escape(c.method()), p.step(), p.kl(),
            p.sqrtKl(), p.proxy(), p.gold()));
      }
    }
    h.append("</table><h2>Settings</h2><pre>").append(escape(r.config().toString())).append("</pre>");
    h.append("<p>Stage times (a shared machine): ").append(escape(String.join(", ", r.timings().stream()
        .map(t -> String.format(Locale.ROOT, "%s %.1f s", t.stage(), t.seconds())).toList()))).append("</p>");
    return h.append("</body></html>\n").toString();
  }

  /** A line chart with a numeric x axis: one line per curve, axes fitted to the points. */
  static String chart(String title, String xLabel, List<OveroptimizationCurve> curves,
      ToDoubleFunction<OveroptimizationPoint> fx, ToDoubleFunction<OveroptimizationPoint> fy) {
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (OveroptimizationCurve c : curves) {
      for (OveroptimizationPoint p : c.points()) {
        x0 = Math.min(x0, fx.applyAsDouble(p));
        x1 = Math.max(x1, fx.applyAsDouble(p));
        y0 = Math.min(y0, fy.applyAsDouble(p));
        y1 = Math.max(y1, fy.applyAsDouble(p));
      }
    }
    x1 = x1 > x0 ? x1 : x0 + 1;
    y1 = y1 > y0 ? y1 : y0 + 1;
    int left = 60;
    int top = 30;
    int plotW = 420;
    int plotH = 200;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"270\" role=\"img\"><title>")
        .append(escape(title)).append("</title><text x=\"").append(left).append("\" y=\"18\" font-size=\"13\">")
        .append(escape(title)).append("</text>");
    s.append(String.format(Locale.ROOT, "<path d=\"M%d %d V%d H%d\" fill=\"none\" stroke=\"#000\"/>", left, top,
        top + plotH, left + plotW));
    for (int t = 0; t <= 4; t++) {
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.3g"
          + "</text>", left - 4, top + plotH - plotH * t / 4.0 + 3, y0 + (y1 - y0) * t / 4));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%.3g"
          + "</text>", left + plotW * t / 4.0, top + plotH + 14, x0 + (x1 - x0) * t / 4));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">",
        left + plotW / 2, top + plotH + 32)).append(escape(xLabel)).append("</text>");
    for (int k = 0; k < curves.size(); k++) {
      OveroptimizationCurve c = curves.get(k);
      String color = COLORS[k % COLORS.length];
      StringBuilder points = new StringBuilder();
      for (OveroptimizationPoint p : c.points()) {
        double px = left + plotW * (fx.applyAsDouble(p) - x0) / (x1 - x0);
        double py = top + plotH - plotH * (fy.applyAsDouble(p) - y0) / (y1 - y0);
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>", px,
            py, color)).append(escape(String.format(Locale.ROOT, "%s step %d: x %.4g, y %.4g", c.setting(),
            p.step(), fx.applyAsDouble(p), fy.applyAsDouble(p)))).append("</title></circle>");
      }
      s.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" points=\"")
          .append(points.toString().strip()).append("\"/>");
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>",
          left + plotW + 16, top + k * 18, color));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">", left + plotW + 30,
          top + k * 18 + 9)).append(escape(c.setting())).append("</text>");
    }
    return s.append("</svg>").toString();
  }

  private static String escape(String text) {
    return DpAlignmentPage.escape(text);
  }
}
