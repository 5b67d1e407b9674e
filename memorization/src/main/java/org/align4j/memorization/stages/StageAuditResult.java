package org.align4j.memorization.stages;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.align4j.core.io.AtomicFiles;
import org.align4j.memorization.report.StageAuditPage;

/**
 * The immutable result of a {@link StageAudit}: its settings, the stage and split names in order, each split's
 * size, one {@link StageSplitAudit} per stage and split (stage-major) and the {@link Transition}s of every
 * compared pair on every split. Equal to itself after a JSON round trip; renders one offline HTML page.
 *
 * @param settings the audit's settings
 * @param stages stage names, in pipeline order
 * @param splits split names, in the order given
 * @param splitSizes examples per split
 * @param cells one audit per stage and split, stage-major
 * @param transitions per compared pair (in the settings' order), one per split
 */
public record StageAuditResult(
    StageAuditSettings settings, List<String> stages, List<String> splits, Map<String, Long> splitSizes,
    List<StageSplitAudit> cells, List<Transition> transitions) {

  /** Validates and copies. */
  public StageAuditResult {
    Objects.requireNonNull(settings, "settings");
    stages = List.copyOf(Objects.requireNonNull(stages, "stages"));
    splits = List.copyOf(Objects.requireNonNull(splits, "splits"));
    splitSizes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(splitSizes,
        "splitSizes")));
    cells = List.copyOf(Objects.requireNonNull(cells, "cells"));
    transitions = List.copyOf(Objects.requireNonNull(transitions, "transitions"));
  }

  /**
   * The audit of {@code stage} on {@code split}.
   *
   * @throws IllegalArgumentException when either name is unknown
   */
  public StageSplitAudit cell(String stage, String split) {
    return cells.stream().filter(c -> c.stage().equals(stage) && c.split().equals(split)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no audit of stage '" + stage + "' on split '" + split
            + "'"));
  }

  /**
   * The transition from {@code from} to {@code to} on {@code split}.
   *
   * @throws IllegalArgumentException when that pair was not compared or the split is unknown
   */
  public Transition transition(String from, String to, String split) {
    return transitions.stream().filter(t -> t.from().equals(from) && t.to().equals(to) && t.split().equals(split))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("no transition " + from + " -> " + to
            + " on split '" + split + "'"));
  }

  /** This result as pretty-printed JSON. */
  public String toJson() {
    return StageAuditJson.write(this);
  }

  /**
   * Reads a result from JSON.
   *
   * @throws org.align4j.core.data.DataFormatException when the text is not a valid result
   */
  public static StageAuditResult fromJson(String json) {
    return StageAuditJson.read(json, "<string>");
  }

  /** Writes the JSON to {@code path}, atomically. */
  public void writeJson(Path path) {
    AtomicFiles.writeString(path, toJson());
  }

  /** Reads a result written by {@link #writeJson}. */
  public static StageAuditResult readJson(Path path) {
    return StageAuditJson.read(path);
  }

  /** This result as one self-contained HTML page (inline CSS and SVG, no scripts, no network). */
  public String toHtml() {
    return StageAuditPage.render(this);
  }

  /** Writes the HTML page to {@code path}, atomically. */
  public void writeHtml(Path path) {
    AtomicFiles.writeString(path, toHtml());
  }

  /** Writes the HTML page under {@code title}, with {@code notes} (plain text) before the matrix, atomically. */
  public void writeHtml(Path path, String title, List<String> notes) {
    AtomicFiles.writeString(path, StageAuditPage.render(this, title, notes));
  }
}
