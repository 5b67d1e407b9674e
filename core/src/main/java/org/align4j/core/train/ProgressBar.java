package org.align4j.core.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar: fraction done, step, loss, tokens/s and the estimated time left. On a terminal it is redrawn in
 * place ({@code \r}) at most a few times a second; otherwise (standard error redirected to a file or a pipe, a CI
 * log) it prints one line every few seconds and one at the end, so logs hold no {@code \r} frames. Writes to
 * standard error by default so standard output stays clean for results.
 */
public final class ProgressBar implements TrainingListener {

  private static final long REDRAW_NANOS = 250_000_000L;
  private static final long LOG_LINE_NANOS = 5_000_000_000L;
  private static final int WIDTH = 24;

  private final PrintStream out;
  private final String label;
  private final boolean terminal;
  private long lastDraw;
  private boolean drew;
  private String lastEval = "";

  /** A progress bar labelled {@code label} on standard error. */
  public ProgressBar(String label) {
    this(label, System.err);
  }

  /**
   * A progress bar labelled {@code label} on {@code out}, redrawn in place when the process has a terminal
   * ({@code System.console() != null}), else printed as a line every few seconds.
   */
  public ProgressBar(String label, PrintStream out) {
    this(label, out, System.console() != null);
  }

  /**
   * A progress bar labelled {@code label} on {@code out}: redrawn in place when {@code terminal}, else printed as
   * a line every few seconds.
   */
  public ProgressBar(String label, PrintStream out, boolean terminal) {
    this.label = label;
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void onStep(StepMetrics m) {
    long now = System.nanoTime();
    boolean last = m.step() >= m.totalSteps();
    if (!last && drew && now - lastDraw < (terminal ? REDRAW_NANOS : LOG_LINE_NANOS)) {
      return;
    }
    lastDraw = now;
    if (terminal) {
      out.print("\r" + line(m) + lastEval);
    } else {
      out.println(line(m) + lastEval);
    }
    out.flush();
    drew = true;
  }

  @Override
  public void onEvaluation(EvalMetrics m) {
    lastEval = String.format(Locale.ROOT, " eval %.4f", m.loss());
  }

  @Override
  public void onEnd() {
    if (drew && terminal) {
      out.println();
      out.flush();
    }
  }

  /** The text of the bar for one step's metrics. */
  String line(StepMetrics m) {
    double fraction = m.totalSteps() == 0 ? 1 : (double) m.step() / m.totalSteps();
    int filled = (int) Math.round(fraction * WIDTH);
    String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
    double eta = m.step() == 0 ? 0 : m.elapsedSeconds() / m.step() * (m.totalSteps() - m.step());
    return String.format(Locale.ROOT, "%s [%s] %3.0f%% step %d/%d loss %.4f %,.0f tok/s ETA %s",
        label, bar, fraction * 100, m.step(), m.totalSteps(), m.loss(), m.tokensPerSecond(), duration(eta));
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
