package org.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  private static String run(boolean terminal) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar("sft", new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal);
    bar.onStart(200);
    for (int step = 1; step <= 200; step++) {
      bar.onStep(new StepMetrics(step, 200, 1.0 / step, 1e-3, 1, 10, 1000, step * 1e-4));
    }
    bar.onEnd();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutATerminalPrintsWholeLinesAndNoCarriageReturns() {
    String log = run(false);
    assertThat(log).doesNotContain("\r");
    String[] lines = log.split("\n");
    // 200 steps in well under the interval: the first step and the last one.
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("sft [").contains("step 1/200");
    assertThat(lines[1]).contains("step 200/200").contains("100%");
    assertThat(log).endsWith("\n");
  }

  @Test
  void onATerminalRedrawsInPlace() {
    String log = run(true);
    assertThat(log).startsWith("\rsft [").contains("\rsft [========================] 100% step 200/200")
        .endsWith("\n");
  }
}
