package org.align4j.beam;

import java.util.Map;
import java.util.Objects;
import org.align4j.memorization.inference.ScoreKind;
import org.align4j.memorization.report.Summary;

/**
 * The summary of an {@link AuditTransform}: the same {@link Summary} as {@code Auditor.scan}'s report on the same
 * data, the AUC error bounds of membership scores that exceeded the transform's exact-score limit, and a hash of
 * the data that does not depend on its order.
 *
 * @param summary counts, rates, intervals, groups, histogram and membership evaluations
 * @param aucErrorBounds per binned score kind, the bound on its AUC's error; empty when every AUC is exact
 * @param dataSha256 hex of the sum, modulo 2<sup>256</sup>, of every example's SHA-256 over its id's UTF-8
 *     bytes, a 0 byte, its text's UTF-8 bytes and a 0 byte (a distributed read has no order, so this differs from
 *     {@code Auditor.scan}'s hash of the sequence)
 */
public record AuditSummary(Summary summary, Map<ScoreKind, Double> aucErrorBounds, String dataSha256) {

  /** Validates and copies. */
  public AuditSummary {
    Objects.requireNonNull(summary, "summary");
    aucErrorBounds = Map.copyOf(Objects.requireNonNull(aucErrorBounds, "aucErrorBounds"));
    Objects.requireNonNull(dataSha256, "dataSha256");
  }
}
