package org.align4j.memorization;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/** Receives progress reports of a scan, from the scanning thread, after every batch and once at the end. */
@FunctionalInterface
public interface ScanListener {

  /** Called with the scan's progress. */
  void onProgress(ScanProgress progress);

  /**
   * A text progress bar written to {@code out}: examples read, examples/s, generated tokens/s, memorized so far
   * and, when the expected count is known, the percentage and ETA. Redrawn in place (carriage returns) when the
   * process has a terminal ({@code System.console() != null}), else printed as a line every few seconds.
   */
  static ScanListener console(PrintStream out) {
    return console(out, System.console() != null);
  }

  /**
   * A text progress bar written to {@code out}: redrawn in place with carriage returns and a newline at the end
   * when {@code terminal}; otherwise one full line at most every 5 seconds (so a log file holds no carriage-return
   * frames), and always one at the end.
   */
  static ScanListener console(PrintStream out, boolean terminal) {
    Objects.requireNonNull(out, "out");
    long interval = terminal ? 0L : 5_000_000_000L;
    long[] lastLine = {Long.MIN_VALUE};
    return p -> {
      long now = System.nanoTime();
      if (!p.finished() && lastLine[0] != Long.MIN_VALUE && now - lastLine[0] < interval) {
        return;
      }
      lastLine[0] = now;
      StringBuilder line = new StringBuilder(terminal ? "\r" : "");
      if (p.expectedExamples() > 0) {
        int width = 30;
        int filled = (int) Math.min(width, width * p.examplesRead() / p.expectedExamples());
        line.append('[').append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ");
        line.append(String.format(Locale.ROOT, "%3.0f%% ", 100.0 * p.examplesRead() / p.expectedExamples()));
      }
      line.append(String.format(Locale.ROOT, "%d examples, %.1f ex/s, %.0f tok/s, %d memorized",
          p.examplesRead(), p.examplesPerSecond(), p.generatedTokensPerSecond(), p.memorized()));
      if (p.etaSeconds() >= 0 && !p.finished()) {
        line.append(String.format(Locale.ROOT, ", ETA %.0f s", p.etaSeconds()));
      }
      out.print(line);
      if (p.finished() || !terminal) {
        out.println();
      }
      out.flush();
    };
  }
}
