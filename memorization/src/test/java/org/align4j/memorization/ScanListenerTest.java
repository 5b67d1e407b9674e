package org.align4j.memorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The console progress bar: in-place frames on a terminal, whole lines (no carriage returns) in a log. */
class ScanListenerTest {

  private static ScanProgress progress(long read, boolean finished) {
    return new ScanProgress(read, read, 0, read / 2, 1.0, read, 10.0 * read, 100, finished ? 0 : 1.0, finished);
  }

  @Test
  void terminalRedrawsInPlaceAndEndsWithANewline() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ScanListener bar = ScanListener.console(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    bar.onProgress(progress(10, false));
    bar.onProgress(progress(20, false));
    bar.onProgress(progress(100, true));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out.chars().filter(c -> c == '\r').count()).isEqualTo(3);
    assertThat(out.split("\n", -1)).hasSize(2);
    assertThat(out).endsWith("100 examples, 100.0 ex/s, 1000 tok/s, 50 memorized" + System.lineSeparator());
  }

  @Test
  void logGetsTheFirstLineThenOneEveryFewSecondsAndTheLast() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ScanListener bar = ScanListener.console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    for (int i = 1; i < 100; i++) {
      bar.onProgress(progress(i, false));
    }
    bar.onProgress(progress(100, true));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("\r");
    assertThat(out.lines()).hasSize(2);
    assertThat(out.lines().findFirst().orElseThrow()).contains("  1% 1 examples").contains("ETA 1 s");
    assertThat(out.lines().skip(1).findFirst().orElseThrow()).contains("100%").doesNotContain("ETA");
  }
}
