package org.align4j.memorization.report;

import java.util.List;
import org.align4j.memorization.inference.RocPoint;
import org.align4j.memorization.stats.Histogram;
import org.align4j.memorization.stats.Proportion;

/** Inline SVG charts for the HTML report; every label is HTML-escaped. */
final class Svg {

  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

  private Svg() {}

  /** Horizontal bars of rates with their Wilson intervals as whiskers, one row per label. */
  static String rateBars(List<String> labels, List<Proportion> rates) {
    int row = 22;
    int left = Math.max(60, labels.stream().mapToInt(l -> textWidth(l, 12)).max().orElse(0) + 12);
    int width = 420;
    int height = row * labels.size() + 30;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(left + width + 90)
        .append("\" height=\"").append(height).append("\" role=\"img\">");
    for (int i = 0; i < labels.size(); i++) {
      Proportion p = rates.get(i);
      int y = 5 + i * row;
      s.append("<text x=\"").append(left - 6).append("\" y=\"").append(y + 14)
          .append("\" text-anchor=\"end\" font-size=\"12\">").append(Html.escape(labels.get(i))).append("</text>");
      s.append("<rect x=\"").append(left).append("\" y=\"").append(y + 3).append("\" width=\"")
          .append(Html.num(p.rate() * width, 1)).append("\" height=\"14\" fill=\"#1f77b4\"/>");
      double lo = left + p.lower() * width;
      double hi = left + p.upper() * width;
      s.append("<line x1=\"").append(Html.num(lo, 1)).append("\" x2=\"").append(Html.num(hi, 1))
          .append("\" y1=\"").append(y + 10).append("\" y2=\"").append(y + 10)
          .append("\" stroke=\"#000\" stroke-width=\"1.5\"/>");
      s.append("<text x=\"").append(left + width + 6).append("\" y=\"").append(y + 14)
          .append("\" font-size=\"12\">").append(Html.pct(p.rate())).append("</text>");
    }
    axis(s, left, width, 5 + labels.size() * row);
    return s.append("</svg>").toString();
  }

  /**
   * A generous estimate of the width in pixels of {@code text} at {@code fontSize} in a sans-serif font (capitals
   * and underscores are about 0.65 em wide), so that labels and legends fit their picture.
   */
  static int textWidth(String text, int fontSize) {
    return (int) Math.ceil(text.codePointCount(0, text.length()) * fontSize * 0.65);
  }

  private static void axis(StringBuilder s, int left, int width, int y) {
    s.append("<line x1=\"").append(left).append("\" x2=\"").append(left + width).append("\" y1=\"").append(y)
        .append("\" y2=\"").append(y).append("\" stroke=\"#888\"/>");
    for (int t = 0; t <= 4; t++) {
      int x = left + t * width / 4;
      s.append("<text x=\"").append(x).append("\" y=\"").append(y + 14)
          .append("\" text-anchor=\"middle\" font-size=\"10\">").append(t * 25).append("%</text>");
    }
  }

  /** A histogram with a dashed vertical line at {@code marker}. */
  static String histogram(Histogram h, double marker) {
    int w = 520;
    int ht = 200;
    int pad = 30;
    List<Long> counts = h.counts();
    long max = Math.max(1, counts.stream().mapToLong(Long::longValue).max().orElse(1));
    double bar = (double) w / counts.size();
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w + 2 * pad).append("\" height=\"")
        .append(ht + 2 * pad).append("\" role=\"img\">");
    for (int i = 0; i < counts.size(); i++) {
      double bh = (double) counts.get(i) / max * ht;
      s.append("<rect x=\"").append(Html.num(pad + i * bar + 1, 1)).append("\" y=\"")
          .append(Html.num(pad + ht - bh, 1)).append("\" width=\"").append(Html.num(bar - 2, 1))
          .append("\" height=\"").append(Html.num(bh, 1)).append("\" fill=\"#1f77b4\"><title>")
          .append(counts.get(i)).append("</title></rect>");
    }
    double mx = pad + (marker - h.lo()) / (h.hi() - h.lo()) * w;
    s.append("<line x1=\"").append(Html.num(mx, 1)).append("\" x2=\"").append(Html.num(mx, 1)).append("\" y1=\"")
        .append(pad).append("\" y2=\"").append(pad + ht).append("\" stroke=\"#d62728\" stroke-dasharray=\"4\"/>");
    s.append("<line x1=\"").append(pad).append("\" x2=\"").append(pad + w).append("\" y1=\"").append(pad + ht)
        .append("\" y2=\"").append(pad + ht).append("\" stroke=\"#888\"/>");
    for (int t = 0; t <= 4; t++) {
      s.append("<text x=\"").append(pad + t * w / 4).append("\" y=\"").append(pad + ht + 14)
          .append("\" text-anchor=\"middle\" font-size=\"10\">")
          .append(Html.num(h.lo() + t * (h.hi() - h.lo()) / 4, 2)).append("</text>");
    }
    s.append("<text x=\"").append(pad).append("\" y=\"").append(pad - 8).append("\" font-size=\"10\">max ")
        .append(max).append("</text>");
    return s.append("</svg>").toString();
  }

  /** ROC curves (one per name) on linear axes, with the diagonal. */
  static String roc(List<String> names, List<List<RocPoint>> curves) {
    int size = 260;
    int pad = 30;
    int legend = names.stream().mapToInt(n -> textWidth(n, 12)).max().orElse(0) + 20;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(size + 2 * pad + legend)
        .append("\" height=\"").append(size + 2 * pad).append("\" role=\"img\">");
    s.append("<rect x=\"").append(pad).append("\" y=\"").append(pad).append("\" width=\"").append(size)
        .append("\" height=\"").append(size).append("\" fill=\"none\" stroke=\"#888\"/>");
    s.append("<line x1=\"").append(pad).append("\" y1=\"").append(pad + size).append("\" x2=\"")
        .append(pad + size).append("\" y2=\"").append(pad).append("\" stroke=\"#bbb\" stroke-dasharray=\"4\"/>");
    for (int c = 0; c < curves.size(); c++) {
      StringBuilder pts = new StringBuilder();
      for (RocPoint p : curves.get(c)) {
        pts.append(Html.num(pad + p.fpr() * size, 1)).append(',')
            .append(Html.num(pad + size - p.tpr() * size, 1)).append(' ');
      }
      String color = COLORS[c % COLORS.length];
      s.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"")
          .append(pts.toString().trim()).append("\"/>");
      s.append("<text x=\"").append(pad + size + 10).append("\" y=\"").append(pad + 14 + c * 16)
          .append("\" font-size=\"12\" fill=\"").append(color).append("\">").append(Html.escape(names.get(c)))
          .append("</text>");
    }
    s.append("<text x=\"").append(pad + size / 2).append("\" y=\"").append(pad + size + 22)
        .append("\" text-anchor=\"middle\" font-size=\"11\">false-positive rate</text>");
    s.append("<text x=\"12\" y=\"").append(pad + size / 2).append("\" font-size=\"11\" transform=\"rotate(-90 12 ")
        .append(pad + size / 2).append(")\" text-anchor=\"middle\">true-positive rate</text>");
    return s.append("</svg>").toString();
  }

  /** Points (x, y) with a title each, on axes from 0 to the maxima. */
  static String scatter(List<double[]> points, List<String> titles, String xLabel, String yLabel) {
    int w = 420;
    int ht = 220;
    int pad = 36;
    double maxX = Math.max(1, points.stream().mapToDouble(p -> p[0]).max().orElse(1));
    double maxY = Math.max(1, points.stream().mapToDouble(p -> p[1]).max().orElse(1));
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w + 2 * pad).append("\" height=\"")
        .append(ht + 2 * pad).append("\" role=\"img\">");
    s.append("<rect x=\"").append(pad).append("\" y=\"").append(pad).append("\" width=\"").append(w)
        .append("\" height=\"").append(ht).append("\" fill=\"none\" stroke=\"#888\"/>");
    for (int i = 0; i < points.size(); i++) {
      double x = pad + points.get(i)[0] / maxX * w;
      double y = pad + ht - Math.max(0, points.get(i)[1]) / maxY * ht;
      s.append("<circle cx=\"").append(Html.num(x, 1)).append("\" cy=\"").append(Html.num(y, 1))
          .append("\" r=\"4\" fill=\"#d62728\" fill-opacity=\"0.7\"><title>").append(Html.escape(titles.get(i)))
          .append("</title></circle>");
    }
    s.append("<text x=\"").append(pad + w / 2).append("\" y=\"").append(pad + ht + 24)
        .append("\" text-anchor=\"middle\" font-size=\"11\">").append(Html.escape(xLabel)).append(" (0 to ")
        .append(Html.num(maxX, 0)).append(")</text>");
    s.append("<text x=\"14\" y=\"").append(pad + ht / 2).append("\" font-size=\"11\" transform=\"rotate(-90 14 ")
        .append(pad + ht / 2).append(")\" text-anchor=\"middle\">").append(Html.escape(yLabel)).append(" (0 to ")
        .append(Html.num(maxY, 1)).append(")</text>");
    return s.append("</svg>").toString();
  }
}
