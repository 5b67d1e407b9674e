package org.align4j.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.align4j.memorization.AuditReport;
import org.align4j.rewardmodel.calibration.Calibration;

/**
 * The report and data files the commands write, each recognised from its content, so that an existing file is
 * replaced (with {@code --overwrite}) only when align4j wrote it as the same kind of output.
 */
enum OwnOutput {
  /** {@code audit --report}, quickstart's {@code audit.html}. */
  AUDIT_HTML("an align4j audit report (HTML)", p -> head(p).contains("align4j memorization audit")),
  /** {@code audit --json}, quickstart's {@code audit.json}. */
  AUDIT_JSON("an align4j audit report (JSON)", p -> reads(() -> AuditReport.readJson(p))),
  /** {@code calibrate --output}. */
  CALIBRATED_CSV("calibrated rewards written by align4j calibrate (CSV)",
      p -> head(p).startsWith("id,subset,chosen_length,rejected_length")),
  /** {@code calibrate --save}. */
  CALIBRATION_JSON("a calibration saved by align4j calibrate (JSON)", p -> reads(() -> Calibration.load(p))),
  /** {@code study dp-alignment}'s {@code study.html}. */
  DP_STUDY_HTML("an align4j private alignment study report (HTML)",
      p -> head(p).contains("align4j private alignment study")),
  /** {@code study dp-alignment}'s {@code study.json}. */
  DP_STUDY_JSON("an align4j private alignment study (JSON)",
      p -> head(p).startsWith("{") && head(p).contains("\"dp-alignment\"")),
  /** {@code study length-bias}'s {@code study.html}. */
  LENGTH_STUDY_HTML("an align4j length-bias study report (HTML)",
      p -> head(p).contains("align4j length-bias study")),
  /** {@code study length-bias}'s {@code study.json}. */
  LENGTH_STUDY_JSON("an align4j length-bias study (JSON)",
      p -> head(p).startsWith("{") && head(p).contains("\"length-bias\"")),
  /** {@code study overoptimization}'s {@code study.html}. */
  OVEROPT_STUDY_HTML("an align4j reward over-optimisation study report (HTML)",
      p -> head(p).contains("align4j reward over-optimisation study")),
  /** {@code study overoptimization}'s {@code study.json}. */
  OVEROPT_STUDY_JSON("an align4j reward over-optimisation study (JSON)",
      p -> head(p).startsWith("{") && head(p).contains("\"overoptimization\"")),
  /** {@code calibrate --chart}. */
  CALIBRATION_SVG("a chart written by align4j calibrate (SVG)",
      p -> head(p).contains("<svg") && head(p).contains("calibration")),
  /** {@code score --output}. */
  SCORES_JSONL("rewards written by align4j score (JSONL)",
      p -> head(p).startsWith("{\"id\":") && head(p).contains("\"rm_id\":\"sha256:")
          && head(p).contains("\"length_unit\":")),
  /** {@code make-pairs --output}. */
  MADE_PAIRS_JSONL("pairs written by align4j make-pairs (JSONL)",
      p -> head(p).startsWith("{\"id\":") && head(p).contains(MakePairsCommand.MARK));

  private static final int HEAD_BYTES = 16 * 1024;

  private final String title;
  private final Predicate<Path> recognises;

  OwnOutput(String title, Predicate<Path> recognises) {
    this.title = title;
    this.recognises = recognises;
  }

  /** What this output is, for messages. */
  String title() {
    return title;
  }

  /** Whether the regular file {@code path} holds this kind of output. */
  boolean isAt(Path path) {
    return recognises.test(path);
  }

  /** The first bytes of the file as Latin-1 text (never fails on bytes), or "" when unreadable. */
  private static String head(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return new String(in.readNBytes(HEAD_BYTES), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean reads(Runnable read) {
    try {
      read.run();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
