package org.align4j.core.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.align4j.core.data.DataFormatException;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.util.Args;

/**
 * Tracks the privacy spent by a run of the Poisson-subsampled Gaussian mechanism (DP-SGD): a history of
 * {@link MechanismStep} entries, and the (epsilon, delta) guarantee of their composition under add-or-remove-one
 * adjacency. Consecutive entries with equal noise multiplier and sample rate are merged. The history saves to and
 * loads from JSON, so a run can resume and be audited.
 *
 * <p>Two implementations: {@link RdpAccountant} (Rényi DP, fast, an upper bound that is loose by 10 to 20
 * percent) and {@link PldAccountant} (privacy loss distributions, tight, still an upper bound). Instances are
 * thread-safe.
 */
public abstract sealed class PrivacyAccountant permits RdpAccountant, PldAccountant {

  static final String FORMAT = "align4j-privacy-accountant";
  static final ObjectMapper JSON = new ObjectMapper();

  private final List<MechanismStep> history = new ArrayList<>();

  PrivacyAccountant() {}

  /** The accountant's short name as used in JSON and on the command line: {@code "rdp"} or {@code "pld"}. */
  public abstract String name();

  /**
   * The smallest epsilon (at least 0; 0 for an empty history) such that the history so far is (epsilon, delta)-DP;
   * infinite when no finite epsilon reaches {@code delta}.
   *
   * @param delta in (0, 1)
   */
  public abstract double epsilon(double delta);

  /**
   * The delta such that the history so far is (epsilon, delta)-DP, at most 1.
   *
   * @param epsilon finite and {@code > 0}
   */
  public abstract double delta(double epsilon);

  /** A new accountant with the same settings and an empty history. */
  public abstract PrivacyAccountant emptyCopy();

  /** Writes this accountant's settings (not its history) into {@code settings}. */
  abstract void writeSettings(ObjectNode settings);

  /** Records one step. */
  public PrivacyAccountant step(double noiseMultiplier, double sampleRate) {
    return add(noiseMultiplier, sampleRate, 1);
  }

  /** Records {@code steps} steps, merged into the last entry when it has the same mechanism. */
  public PrivacyAccountant add(double noiseMultiplier, double sampleRate, long steps) {
    return add(new MechanismStep(noiseMultiplier, sampleRate, steps));
  }

  /** Records an entry, merged into the last entry when it has the same mechanism; zero steps are ignored. */
  public synchronized PrivacyAccountant add(MechanismStep entry) {
    if (entry.steps() == 0) {
      return this;
    }
    int last = history.size() - 1;
    if (last >= 0 && history.get(last).sameMechanism(entry)) {
      history.set(last, history.get(last).plusSteps(entry.steps()));
    } else {
      history.add(entry);
    }
    return this;
  }

  /** Records every entry of {@code entries} in order. */
  public synchronized PrivacyAccountant addAll(Collection<MechanismStep> entries) {
    for (MechanismStep entry : entries) {
      add(entry);
    }
    return this;
  }

  /** The history so far (an immutable copy). */
  public synchronized List<MechanismStep> history() {
    return List.copyOf(history);
  }

  /** The total number of steps in the history. */
  public synchronized long totalSteps() {
    long total = 0;
    for (MechanismStep entry : history) {
      total = Math.addExact(total, entry.steps());
    }
    return total;
  }

  /** A new accountant with these settings whose history is this one's followed by {@code other}'s. */
  public PrivacyAccountant composedWith(PrivacyAccountant other) {
    return emptyCopy().addAll(history()).addAll(other.history());
  }

  /** This accountant (kind, settings and history) as one JSON object. */
  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonNode());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Saves {@link #toJson()} to {@code file} atomically. */
  public void save(Path file) {
    AtomicFiles.writeString(file, toJson() + "\n");
  }

  /**
   * Reads an accountant saved by {@link #save}.
   *
   * @throws DataFormatException when the file is not a saved accountant
   * @throws UncheckedIOException when it cannot be read
   */
  public static PrivacyAccountant load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return fromJson(text, file.toString());
  }

  /**
   * Parses {@link #toJson()} output.
   *
   * @throws DataFormatException when {@code json} is not a saved accountant
   */
  public static PrivacyAccountant fromJson(String json) {
    return fromJson(json, "<json>");
  }

  static PrivacyAccountant fromJson(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new DataFormatException(source + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    return fromJsonNode(root, source);
  }

  synchronized ObjectNode toJsonNode() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", 1);
    root.put("accountant", name());
    writeSettings(root.putObject("settings"));
    ArrayNode entries = root.putArray("history");
    for (MechanismStep entry : history) {
      ObjectNode node = entries.addObject();
      node.put("noise_multiplier", entry.noiseMultiplier());
      node.put("sample_rate", entry.sampleRate());
      node.put("steps", entry.steps());
    }
    return root;
  }

  static PrivacyAccountant fromJsonNode(JsonNode root, String source) {
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new DataFormatException(source, "not a saved privacy accountant (missing \"format\": \"" + FORMAT + "\")");
    }
    JsonNode settings = root.path("settings");
    String kind = root.path("accountant").asText("");
    PrivacyAccountant accountant;
    try {
      accountant = switch (kind) {
        case "rdp" -> RdpAccountant.fromSettings(settings);
        case "pld" -> PldAccountant.fromSettings(settings);
        default -> throw new DataFormatException(source, "unknown accountant \"" + kind + "\"");
      };
      JsonNode entries = root.path("history");
      Args.check(entries.isArray(), "\"history\" must be an array");
      for (JsonNode node : entries) {
        accountant.add(new MechanismStep(
            number(node, "noise_multiplier"), number(node, "sample_rate"), node.path("steps").asLong(-1)));
      }
    } catch (DataFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(source, e.getMessage());
    }
    return accountant;
  }

  static double number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    Args.check(value != null && value.isNumber(), "\"%s\" must be a number, got %s", field, value);
    return value.asDouble();
  }

  static double checkDelta(double delta) {
    return Args.inOpen("delta", delta, 0, 1);
  }

  static double checkEpsilon(double epsilon) {
    Args.positive("epsilon", epsilon);
    return Args.finite("epsilon", epsilon);
  }
}
