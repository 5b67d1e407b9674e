package org.align4j.examples;

import java.nio.file.Path;
import java.util.Map;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.stats.Proportion;

/**
 * What the quickstart job found and where it wrote it.
 *
 * @param report the audit of the target model (members and never-trained examples, with the control model)
 * @param htmlReport the HTML page
 * @param jsonReport the JSON report
 * @param memorizedByDuplicates memorization rate of the scanned examples by how often they were trained on
 *     (0 = never)
 * @param membersMemorized memorization rate of the trained (audited) examples
 * @param heldOutMemorized memorization rate of the never-trained examples
 * @param counterfactual counterfactual memorization rate of the trained examples (target yes, control no)
 * @param piiMemorized memorization rate of the trained examples that carry a PII-like string
 * @param piiRegurgitated trained PII examples whose planted PII string appears in the target's continuation
 * @param membershipAuc ROC AUC of the loss score separating trained from never-trained examples
 * @param trainingSeconds wall time of training both models
 * @param examplesPerSecond audit throughput
 * @param generatedTokensPerSecond tokens generated per second during the audit
 */
public record QuickstartResult(
    AuditReport report, Path htmlReport, Path jsonReport, Map<Integer, Proportion> memorizedByDuplicates,
    Proportion membersMemorized, Proportion heldOutMemorized, Proportion counterfactual, Proportion piiMemorized,
    Proportion piiRegurgitated, double membershipAuc, double trainingSeconds, double examplesPerSecond,
    double generatedTokensPerSecond) {

  /** Copies the map. */
  public QuickstartResult {
    memorizedByDuplicates = Map.copyOf(memorizedByDuplicates);
  }
}
