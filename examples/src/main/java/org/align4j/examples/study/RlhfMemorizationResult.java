package org.align4j.examples.study;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.align4j.memorization.stages.StageAuditResult;

/**
 * What the RLHF memorization study found and where it wrote it.
 *
 * @param config the study's settings
 * @param audit every model audited on every split, with the transitions from the SFT model
 * @param rewardAccuracy the reward model's accuracy on its own training pairs (chosen scored above rejected)
 * @param findings the verdicts on the paper's findings (a), (b) and (c)
 * @param timings the time of each stage, in order
 * @param html the HTML page ({@code study.html})
 * @param json the JSON report ({@code study.json})
 */
public record RlhfMemorizationResult(
    RlhfMemorizationConfig config, StageAuditResult audit, double rewardAccuracy, List<StudyFinding> findings,
    List<StageTiming> timings, Path html, Path json) {

  /** Validates and copies. */
  public RlhfMemorizationResult {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(audit, "audit");
    findings = List.copyOf(findings);
    timings = List.copyOf(timings);
    Objects.requireNonNull(html, "html");
    Objects.requireNonNull(json, "json");
  }
}
