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
 * the fitted bias curve, on the right the calibrated rewards. Chosen responses are drawn in blue, rejected in red,
 * the fitted curve in black, as the legend says; both axes carry a title and ticks at round values. At most
 * {@value #MAX_POINTS} responses per panel (an even, deterministic subsample beyond that). Every text from the
 * data (the feature's name) is escaped.
 */
public final class CalibrationChart {

  /** The most responses drawn per panel. */
  public static final int MAX_POINTS = 4000;

  static final String CHOSEN_COLOR = "#1f77b4";
  static final String REJECTED_COLOR = "#d62728";
  private static final int PANEL = 420;
  private static final int MARGIN = 60;
  private static final int TOP = 76;
  /** Ticks wanted per axis; {@link #ticks} gives between about half and twice as many. */
  private static final int TICKS = 6;

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
    int height = TOP + PANEL + MARGIN;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            + "font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    String feature = escape(calibration.featureName());
    svg.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"20\" font-size=\"14\">Reward against %s: %s calibration (%d pairs)</text>%n",
        MARGIN, feature, escape(calibration.method().id()), before.size()));
    double[] curve = calibration.method() == CalibrationMethod.PENALTY ? null : calibration.knotBias();
    legend(svg, curve == null ? null : curveLabel(calibration.method()));
    panel(svg, MARGIN, "before: raw rewards", feature, "raw reward", length, raw, before.size(),
        calibration.knotX(), curve);
    panel(svg, 2 * MARGIN + PANEL, "after: calibrated rewards", feature, "calibrated reward", length, calibrated,
        before.size(), null, null);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static String curveLabel(CalibrationMethod method) {
    return switch (method) {
      case LWR -> "fitted bias (LOWESS of reward on the feature)";
      case MEAN -> "fitted bias (mean reward within a window of the feature)";
      case LWR_PENALTY -> "fitted bias (LOWESS of the length-penalised reward)";
      case PENALTY -> throw new IllegalArgumentException("the length penalty fits no curve");
    };
  }

  /** One row under the title: the chosen and rejected markers and, when drawn, the fitted curve. */
  private static void legend(StringBuilder svg, String curveLabel) {
    int y = 42;
    svg.append("<g class=\"legend\">\n");
    svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>"
        + "<text x=\"%d\" y=\"%d\">chosen response</text>%n", MARGIN + 4, y - 4, CHOSEN_COLOR, MARGIN + 12, y));
    svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>"
        + "<text x=\"%d\" y=\"%d\">rejected response</text>%n", MARGIN + 134, y - 4, REJECTED_COLOR,
        MARGIN + 142, y));
    if (curveLabel != null) {
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"black\" "
          + "stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">%s</text>%n", MARGIN + 264, MARGIN + 288, y - 4, y - 4,
          MARGIN + 294, y, curveLabel));
    }
    svg.append("</g>\n");
  }

  private static void panel(StringBuilder svg, int left, String title, String xTitle, String yTitle, double[] x,
      double[] y, int pairs, double[] curveX, double[] curveY) {
    double[] xt = ticks(range(x, null), TICKS);
    double[] yt = ticks(range(y, curveY), TICKS);
    double[] xr = {xt[0], xt[xt.length - 1]};
    double[] yr = {yt[0], yt[yt.length - 1]};
    int top = TOP;
    svg.append(String.format(Locale.ROOT,
        "<g><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
        left, top, PANEL, PANEL));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>%n",
        left, top - 8, title));
    for (double t : xt) {
      double px = left + scale(t, xr) * PANEL;
      svg.append(String.format(Locale.ROOT, "<line class=\"tick\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
          + "stroke=\"#888\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
          px, px, top + PANEL, top + PANEL + 4, px, top + PANEL + 16, label(t, xt)));
    }
    for (double t : yt) {
      double py = top + (1 - scale(t, yr)) * PANEL;
      svg.append(String.format(Locale.ROOT, "<line class=\"tick\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
          + "stroke=\"#888\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
          left - 4, left, py, py, left - 6, py + 4, label(t, yt)));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
        left + PANEL / 2, top + PANEL + 34, xTitle));
    int yTitleX = left - 44;
    int yTitleY = top + PANEL / 2;
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
        + "transform=\"rotate(-90 %d %d)\">%s</text>%n", yTitleX, yTitleY, yTitleX, yTitleY, yTitle));
    int n = x.length;
    int stride = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
    for (int i = 0; i < n; i += stride) {
      svg.append(String.format(Locale.ROOT,
          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.5\" fill=\"%s\" fill-opacity=\"0.4\"/>%n",
          left + scale(x[i], xr) * PANEL, top + (1 - scale(y[i], yr)) * PANEL,
          i < pairs ? CHOSEN_COLOR : REJECTED_COLOR));
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

  /**
   * Round tick values covering {@code range}: a step of 1, 2 or 5 times a power of ten chosen so that about
   * {@code wanted} ticks span the range, from the largest multiple of the step at or below its low end to the
   * smallest at or above its high end (the axis then runs from the first tick to the last).
   */
  static double[] ticks(double[] range, int wanted) {
    double span = range[1] - range[0];
    double rough = span / Math.max(1, wanted - 1);
    double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    double fraction = rough / magnitude;
    double step = (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * magnitude;
    long first = (long) Math.floor(range[0] / step + 1e-9);
    long last = (long) Math.ceil(range[1] / step - 1e-9);
    if (last <= first) {
      last = first + 1;
    }
    double[] out = new double[(int) (last - first + 1)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (first + i) * step;
    }
    return out;
  }

  /** A tick's text with as many decimals as the step needs (0.25 steps: two), never "-0". */
  private static String label(double value, double[] ticks) {
    double step = ticks[1] - ticks[0];
    int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
    return text.matches("-0(\\.0*)?") ? text.substring(1) : text;
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

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#39;");
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
