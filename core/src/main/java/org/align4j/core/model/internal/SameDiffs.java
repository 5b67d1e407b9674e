package org.align4j.core.model.internal;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;

/** Helpers around SameDiff 1.0.0-M2.1 quirks, shared by every training graph. */
public final class SameDiffs {

  private SameDiffs() {}

  /**
   * Builds the backward graph of {@code sd} once, with standard output muted: SameDiff 1.0.0-M2.1 prints a line
   * per differentiated op with a hard-coded {@code println}, which would corrupt a command's JSON output. A no-op
   * when the backward graph exists already.
   */
  public static void createGradientsQuietly(SameDiff sd) {
    if (sd.getFunction("grad") != null) {
      return;
    }
    synchronized (System.class) {
      PrintStream stdout = System.out;
      System.setOut(new PrintStream(OutputStream.nullOutputStream()));
      try {
        sd.createGradFunction();
      } finally {
        System.setOut(stdout);
      }
    }
  }
}
