package org.align4j.examples.study;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of the private alignment study.
 *
 * @param config its settings
 * @param rows one private pipeline per target epsilon, in the order given
 * @param warnings problems with the settings that did not stop the run (such as a delta of at least 1/N)
 * @param timings every stage's wall time, in order
 * @param html where {@code study.html} was written
 * @param json where {@code study.json} was written
 */
public record DpAlignmentResult(DpAlignmentConfig config, List<DpEpsilonRow> rows, List<String> warnings,
    List<StageTiming> timings, Path html, Path json) {

  /** Validates and copies. */
  public DpAlignmentResult {
    Objects.requireNonNull(config, "config");
    rows = List.copyOf(rows);
    warnings = List.copyOf(warnings);
    timings = List.copyOf(timings);
  }
}
