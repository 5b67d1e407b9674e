package org.align4j.core.provenance;

import java.util.Map;
import java.util.Objects;

/**
 * Where a model or result came from, in the manner of Tribuo's provenance: what produced it, with which
 * configuration, on which data (name and SHA-256 of the examples as read), from which seed, after how many
 * steps, and with which library version.
 *
 * @param kind what this describes, e.g. {@code "TransformerLm"} or {@code "AuditReport"}
 * @param configuration the settings that produced it (JSON-friendly values), immutable
 * @param dataName the training or input data's name, or {@code ""} when none
 * @param dataSha256 the hex SHA-256 of that data, or {@code ""} when none
 * @param seed the seed of every random choice made
 * @param steps optimisation steps taken (0 for an untrained model)
 * @param libraryVersion the align4j version
 * @param createdAt ISO-8601 instant of creation
 */
public record Provenance(
    String kind,
    Map<String, Object> configuration,
    String dataName,
    String dataSha256,
    long seed,
    long steps,
    String libraryVersion,
    String createdAt) {

  /** Validates and copies. */
  public Provenance {
    Objects.requireNonNull(kind, "kind");
    configuration = configuration == null ? Map.of() : Map.copyOf(configuration);
    dataName = dataName == null ? "" : dataName;
    dataSha256 = dataSha256 == null ? "" : dataSha256;
    Objects.requireNonNull(libraryVersion, "libraryVersion");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** Provenance of something made now by this library version, with no training data. */
  public static Provenance of(String kind, Map<String, Object> configuration, long seed) {
    return new Provenance(
        kind, configuration, "", "", seed, 0, LibraryVersion.get(), java.time.Instant.now().toString());
  }

  /** A copy recording training on {@code name} (hash {@code sha256}) for {@code totalSteps} steps. */
  public Provenance withTraining(String name, String sha256, long totalSteps) {
    return new Provenance(
        kind, configuration, name, sha256, seed, totalSteps, LibraryVersion.get(),
        java.time.Instant.now().toString());
  }
}
