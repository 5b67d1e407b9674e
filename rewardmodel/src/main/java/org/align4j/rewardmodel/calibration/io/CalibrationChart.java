package org.align4j.rewardmodel.calibration.io;

import java.nio.file.Path;
import java.util.Locale;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.calibration.Calibration;
import org.align4j.rewardmodel.calibration.CalibrationMethod;
import org.align4j.rewardmodel.calibration.RewardPairs;

/**
 * A self-contained SVG chart of reward against the calibration feature (length): on the left the raw rewards with
 * the fitted bias curve, on the right the calibrated rewards. Chosen responses are drawn in blue, rejected in red;
 * at most {@value #MAX_POINTS} responses per panel (an even, deterministic subsample beyond that).
 */
public final class CalibrationChart {

  /** The most responses drawn per panel. */
  public static final int MAX_POINTS = 4000;

  private static final int PANEL = 420;
  private static final int MARGIN = 50;

  private CalibrationChart() {}

  /** Writes the chart to {@code file}, atomically. */
  public static void write(Path file, RewardPairs before, RewardPairs after, Calibration calibration) {
    AtomicFiles.writeString(file, svg(before, after, calibration));
  }

  /** The chart as SVG text. */
  public static String svg(RewardPairs before, RewardPairs after, Calibration calibration) {
    Args.check(before.size() == after.size(), "before and after must hold the same pairs");
    double[] length = concat(before.chosenFeature(), before.rejectedFeature());
    double[] raw = concat(before.chosenReward(), before.rejectedReward());
    double[] calibrated = concat(after.chosenReward(), after.rejectedReward());
    int width = 2 * PANEL + 3 * MARGIN;
    int height = PANEL + 2 * MARGIN;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            + "font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"20\" font-size=\"14\">Reward against %s: %s calibration (%d pairs)</text>%n",
        MARGIN, escape(calibration.featureName()), escape(calibration.method().id()), before.size()));
    double[] curve = null;
    if (calibration.method() != CalibrationMethod.PENALTY) {
      curve = calibration.knotBias();
    }
    panel(svg, MARGIN, "before", length, raw, before.size(), calibration.knotX(), curve);
    panel(svg, 2 * MARGIN + PANEL, "after", length, calibrated, before.size(), null, null);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void panel(StringBuilder svg, int left, String title, double[] x, double[] y, int pairs,
      double[] curveX, double[] curveY) {
    double[] xr = range(x, null);
    double[] yr = range(y, curveY);
    int top = MARGIN;
    svg.append(String.format(Locale.ROOT,
        "<g><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
        left, top, PANEL, PANEL));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", left, top - 6, title));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n",
        left, top + PANEL + 14, fmt(xr[0])));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
        left + PANEL, top + PANEL + 14, fmt(xr[1])));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
        left - 4, top + PANEL, fmt(yr[0])));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
        left - 4, top + 10, fmt(yr[1])));
    int n = x.length;
    int stride = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
    for (int i = 0; i < n; i += stride) {
      svg.append(String.format(Locale.ROOT,
          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.5\" fill=\"%s\" fill-opacity=\"0.4\"/>%n",
          left + scale(x[i], xr) * PANEL, top + (1 - scale(y[i], yr)) * PANEL,
          i < pairs ? "#1f77b4" : "#d62728"));
    }
    if (curveX != null && curveY != null && curveX.length > 0) {
      StringBuilder points = new StringBuilder();
      int cstride = Math.max(1, curveX.length / 1000);
      for (int i = 0; i < curveX.length; i += cstride) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ",
            left + scale(curveX[i], xr) * PANEL, top + (1 - scale(curveY[i], yr)) * PANEL));
      }
      int last = curveX.length - 1;
      points.append(String.format(Locale.ROOT, "%.1f,%.1f",
          left + scale(curveX[last], xr) * PANEL, top + (1 - scale(curveY[last], yr)) * PANEL));
      svg.append("<polyline fill=\"none\" stroke=\"black\" stroke-width=\"2\" points=\"")
          .append(points).append("\"/>\n");
    }
    svg.append("</g>\n");
  }

  private static double[] range(double[] values, double[] extra) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (extra != null) {
      for (double v : extra) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (hi <= lo) {
      hi = lo + 1;
    }
    return new double[] {lo, hi};
  }

  private static double scale(double v, double[] range) {
    return (v - range[0]) / (range[1] - range[0]);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3g", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
