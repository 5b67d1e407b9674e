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
   * A text progress bar written to {@code out} (carriage-return updates; a newline at the end): examples read,
   * examples/s, generated tokens/s, memorized so far and, when the expected count is known, the percentage and
   * ETA.
   */
  static ScanListener console(PrintStream out) {
    Objects.requireNonNull(out, "out");
    return p -> {
      StringBuilder line = new StringBuilder("\r");
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
      if (p.finished()) {
        out.println();
      }
      out.flush();
    };
  }
}
