package org.align4j.core.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Provenance as JSON. The current form has a {@code history} array; the form of checkpoints saved before
 * histories existed ({@code dataName}, {@code dataSha256} and {@code steps} at the top level) is read as one stage
 * of kind {@code legacy} (none when it records no data and no steps). Errors name the field.
 */
final class ProvenanceJson {

  static final String LEGACY_KIND = "legacy";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProvenanceJson() {}

  static ObjectNode write(Provenance p) {
    ObjectNode root = JSON.createObjectNode();
    root.put("kind", p.kind());
    root.set("configuration", JSON.valueToTree(p.configuration()));
    root.put("seed", p.seed());
    root.put("libraryVersion", p.libraryVersion());
    root.put("createdAt", p.createdAt());
    ArrayNode history = root.putArray("history");
    for (TrainingStage s : p.history()) {
      ObjectNode node = history.addObject();
      node.put("kind", s.kind());
      node.put("dataName", s.dataName());
      node.put("dataFingerprint", s.dataFingerprint());
      ObjectNode settings = node.putObject("settings");
      s.settings().forEach(settings::put);
      node.put("steps", s.steps());
      node.put("seed", s.seed());
      node.put("libraryVersion", s.libraryVersion());
      node.put("createdAt", s.createdAt());
      s.privacy().ifPresent(privacy -> {
        ObjectNode q = node.putObject("privacy");
        if (Double.isInfinite(privacy.epsilon())) {
          q.put("epsilon", "Infinity");
        } else {
          q.put("epsilon", privacy.epsilon());
        }
        q.put("delta", privacy.delta());
        q.put("noiseMultiplier", privacy.noiseMultiplier());
        q.put("samplingRate", privacy.samplingRate());
        q.put("steps", privacy.steps());
        q.put("accountant", privacy.accountant());
        q.put("unit", privacy.unit().jsonName());
      });
    }
    return root;
  }

  static Provenance read(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("provenance must be a JSON object");
    }
    String kind = text(root, "kind", "");
    JsonNode config = root.path("configuration");
    Map<String, Object> configuration = new LinkedHashMap<>();
    if (!config.isMissingNode() && !config.isNull()) {
      if (!config.isObject()) {
        throw new IllegalArgumentException("configuration must be an object");
      }
      config.fields().forEachRemaining(e -> configuration.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
    }
    long seed = integer(root, "seed", "");
    String libraryVersion = text(root, "libraryVersion", "");
    String createdAt = text(root, "createdAt", "");
    List<TrainingStage> stages = new ArrayList<>();
    JsonNode history = root.get("history");
    if (history == null) {
      String dataName = root.path("dataName").asText("");
      long steps = integer(root, "steps", "");
      if (!dataName.isEmpty() || steps > 0) {
        stages.add(new TrainingStage(LEGACY_KIND, dataName, root.path("dataSha256").asText(""), Map.of(), steps,
            seed, libraryVersion, createdAt, Optional.empty()));
      }
    } else {
      if (!history.isArray()) {
        throw new IllegalArgumentException("history must be an array");
      }
      for (int i = 0; i < history.size(); i++) {
        stages.add(stage(history.get(i), "history[" + i + "]."));
      }
    }
    try {
      return new Provenance(kind, configuration, seed, libraryVersion, createdAt, stages);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("invalid provenance: " + e.getMessage(), e);
    }
  }

  private static TrainingStage stage(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where.substring(0, where.length() - 1) + " must be an object");
    }
    JsonNode settingsNode = node.path("settings");
    if (!settingsNode.isObject()) {
      throw new IllegalArgumentException(where + "settings must be an object");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settingsNode.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException(where + "settings." + e.getKey() + " must be a string");
      }
      settings.put(e.getKey(), e.getValue().asText());
    });
    Optional<PrivacySpent> privacy = Optional.empty();
    JsonNode q = node.get("privacy");
    if (q != null && !q.isNull()) {
      String at = where + "privacy.";
      if (!q.isObject()) {
        throw new IllegalArgumentException(where + "privacy must be an object");
      }
      JsonNode eps = q.get("epsilon");
      double epsilon = eps != null && eps.isTextual() && eps.asText().equals("Infinity")
          ? Double.POSITIVE_INFINITY : number(q, "epsilon", at);
      try {
        privacy = Optional.of(new PrivacySpent(epsilon, number(q, "delta", at), number(q, "noiseMultiplier", at),
            number(q, "samplingRate", at), integer(q, "steps", at), text(q, "accountant", at),
            PrivacyUnit.fromJsonName(text(q, "unit", at))));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException(at + " " + e.getMessage(), e);
      }
    }
    try {
      return new TrainingStage(text(node, "kind", where), text(node, "dataName", where),
          text(node, "dataFingerprint", where), settings, integer(node, "steps", where), integer(node, "seed", where),
          text(node, "libraryVersion", where), text(node, "createdAt", where), privacy);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith(where) ? e.getMessage() : where + " "
          + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(where + field + " must be a string, got " + v);
    }
    return v.asText();
  }

  private static long integer(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(where + field + " must be an integer, got " + v);
    }
    return v.asLong();
  }

  private static double number(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException(where + field + " must be a number, got " + v);
    }
    return v.asDouble();
  }
}
