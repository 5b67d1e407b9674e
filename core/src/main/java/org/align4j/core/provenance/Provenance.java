package org.align4j.core.provenance;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a model or result came from, in the manner of Tribuo's provenance: what it is, the configuration and seed
 * it was created with, and its history: one immutable {@link TrainingStage} per training stage, in order (data
 * name and fingerprint, the trainer's settings, steps, seed, library version and, for a private stage, the
 * privacy spent). Each trainer appends its stage with {@link #withStage}; checkpoints store the history.
 *
 * <p>JSON (as checkpoints and reports store it) is {@link #toJson()}; {@link #fromJson} also reads the format of
 * checkpoints saved before histories existed, as a one-stage history of kind {@code legacy}.
 *
 * @param kind what this describes, e.g. {@code "TransformerLm"} or {@code "AuditReport"}
 * @param configuration the settings that created it (JSON-friendly values), immutable
 * @param seed the seed it was created (initialised) from
 * @param libraryVersion the align4j version that created it
 * @param createdAt ISO-8601 instant of creation
 * @param history its training stages, oldest first, immutable
 */
public record Provenance(
    String kind, Map<String, Object> configuration, long seed, String libraryVersion, String createdAt,
    List<TrainingStage> history) {

  /** Validates and copies. */
  public Provenance {
    Objects.requireNonNull(kind, "kind");
    configuration = configuration == null ? Map.of() : Map.copyOf(configuration);
    Objects.requireNonNull(libraryVersion, "libraryVersion");
    Objects.requireNonNull(createdAt, "createdAt");
    history = List.copyOf(Objects.requireNonNull(history, "history"));
  }

  /** Provenance of something made now by this library version, with an empty history. */
  public static Provenance of(String kind, Map<String, Object> configuration, long seed) {
    return new Provenance(kind, configuration, seed, LibraryVersion.get(), Instant.now().toString(), List.of());
  }

  /** A copy with {@code stage} appended to the history. */
  public Provenance withStage(TrainingStage stage) {
    List<TrainingStage> longer = new ArrayList<>(history);
    longer.add(Objects.requireNonNull(stage, "stage"));
    return new Provenance(kind, configuration, seed, libraryVersion, createdAt, longer);
  }

  /** A copy with {@code stages} as its history (for example a model made from another keeps that one's history). */
  public Provenance withHistory(List<TrainingStage> stages) {
    return new Provenance(kind, configuration, seed, libraryVersion, createdAt, stages);
  }

  /** A copy with another configuration (for example normalised for an exact JSON round trip). */
  public Provenance withConfiguration(Map<String, Object> newConfiguration) {
    return new Provenance(kind, newConfiguration, seed, libraryVersion, createdAt, history);
  }

  /** The last stage, if any. */
  public Optional<TrainingStage> lastStage() {
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  /** The last stage's data name, or {@code ""} for an untrained model. */
  public String dataName() {
    return lastStage().map(TrainingStage::dataName).orElse("");
  }

  /** The last stage's data fingerprint, or {@code ""} for an untrained model. */
  public String dataSha256() {
    return lastStage().map(TrainingStage::dataFingerprint).orElse("");
  }

  /** The optimisation steps of every stage together (0 for an untrained model). */
  public long steps() {
    long total = 0;
    for (TrainingStage s : history) {
      total = Math.addExact(total, s.steps());
    }
    return total;
  }

  /** This provenance as JSON (the format checkpoints store). */
  @JsonValue
  public JsonNode toJson() {
    return ProvenanceJson.write(this);
  }

  /**
   * Reads {@link #toJson()}'s format, or that of checkpoints saved before histories existed.
   *
   * @throws IllegalArgumentException naming the field when the JSON is not a readable provenance or history
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Provenance fromJson(JsonNode json) {
    return ProvenanceJson.read(json);
  }
}
