package org.align4j.memorization.report;

import java.util.Objects;
import org.align4j.core.provenance.Provenance;

/**
 * Where an audit report came from.
 *
 * @param model provenance of the audited model
 * @param control provenance of the control model, or null
 * @param reference provenance of the membership-inference reference model, or null
 * @param dataName the data set's name
 * @param dataSha256 the {@link org.align4j.core.data.DataFingerprint} of the examples read, in order (the same
 *     fingerprint a training stage records for a text corpus, so an audit can be matched to the stage that
 *     trained on its data)
 * @param seed the seed of every random choice of the scan
 * @param libraryVersion the align4j version that ran the scan
 * @param createdAt ISO-8601 instant at which the scan finished
 */
public record AuditProvenance(
    Provenance model, Provenance control, Provenance reference, String dataName, String dataSha256, long seed,
    String libraryVersion, String createdAt) {

  /** Validates and normalises the models' configurations for an exact JSON round trip. */
  public AuditProvenance {
    model = normalized(Objects.requireNonNull(model, "model"));
    control = control == null ? null : normalized(control);
    reference = reference == null ? null : normalized(reference);
    Objects.requireNonNull(dataName, "dataName");
    Objects.requireNonNull(dataSha256, "dataSha256");
    Objects.requireNonNull(libraryVersion, "libraryVersion");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  private static Provenance normalized(Provenance p) {
    return p.withConfiguration(JsonValues.normalizeMap(p.configuration()));
  }
}
