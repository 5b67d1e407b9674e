package org.align4j.core.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.align4j.core.data.DataFormatException;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.provenance.PrivacySpent;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.util.Args;

/**
 * The privacy budget of a multi-stage pipeline (for example SFT, reward model and PPO, as in Wu et al. 2023):
 * each stage has its accountant and the identity of the data set it trains on. Stages on disjoint data sets
 * compose in parallel (the pipeline's epsilon is the largest over data sets); stages that share a data set
 * compose sequentially (their histories are composed in one accountant, which for RDP adds their curves). When
 * the stages of a data set use different accountants, the histories are composed under each and the smallest
 * epsilon kept, and the naive sum of the stages' epsilons is reported beside it as a looser bound.
 *
 * <pre>{@code
 * PrivacyLedger ledger = new PrivacyLedger()
 *     .addStage("sft", "d1", sftAccountant)
 *     .addStage("reward", "d2", rewardAccountant)
 *     .addStage("ppo", "d3", ppoAccountant);
 * PrivacyReport report = ledger.report(1e-5); // report.epsilon(): the max over d1, d2, d3
 * }</pre>
 *
 * <p>Stages hold their accountants by reference: steps recorded on an accountant after it was added count.
 *
 * <p>A non-private stage ({@link #addNonPrivateStage}) leaves its data set without a guarantee: a data set that a
 * private stage and a non-private stage both trained on has an infinite epsilon, and so has the pipeline. The
 * pipeline's epsilon is the guarantee for the records of the data sets that private stages trained on; a data set
 * only non-private stages used has none, and a ledger of non-private stages only has an infinite epsilon.
 *
 * <p>{@link #fromHistory} builds the ledger of a model from its history (see {@link TrainingStage}).
 */
public final class PrivacyLedger {

  static final String FORMAT = "align4j-privacy-ledger";

  /**
   * One stage of the pipeline.
   *
   * @param name unique within the ledger
   * @param dataset the identity of the data set it trains on
   * @param accountant its accountant
   */
  public record Stage(String name, String dataset, PrivacyAccountant accountant) {

    /** Validates the fields. */
    public Stage {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(dataset, "dataset");
      Objects.requireNonNull(accountant, "accountant");
      Args.check(!name.isBlank(), "stage name must not be blank");
      Args.check(!dataset.isBlank(), "dataset must not be blank (stage %s)", name);
    }
  }

  /**
   * A stage that trained without differential privacy.
   *
   * @param name unique within the ledger
   * @param dataset the identity of the data set it trains on
   * @param steps its optimisation steps
   */
  public record NonPrivateStage(String name, String dataset, long steps) {

    /** Validates the fields. */
    public NonPrivateStage {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(dataset, "dataset");
      Args.check(!name.isBlank(), "stage name must not be blank");
      Args.check(!dataset.isBlank(), "dataset must not be blank (stage %s)", name);
      Args.nonNegative("steps", steps);
    }
  }

  private final List<Stage> stages = new ArrayList<>();
  private final List<NonPrivateStage> nonPrivate = new ArrayList<>();

  /** An empty ledger. */
  public PrivacyLedger() {}

  /** Adds a stage; its name must be new. */
  public synchronized PrivacyLedger addStage(String name, String dataset, PrivacyAccountant accountant) {
    Stage stage = new Stage(name, dataset, accountant);
    checkNewName(name);
    stages.add(stage);
    return this;
  }

  /** Adds a stage that trained on {@code dataset} without differential privacy; its name must be new. */
  public synchronized PrivacyLedger addNonPrivateStage(String name, String dataset, long steps) {
    NonPrivateStage stage = new NonPrivateStage(name, dataset, steps);
    checkNewName(name);
    nonPrivate.add(stage);
    return this;
  }

  /**
   * The ledger of a model's history: each private stage with a fresh accountant of the kind it used (default
   * settings) holding its mechanism (noise multiplier, sampling rate, steps), each other stage as non-private.
   * A stage's data set is its data fingerprint (its data name where no fingerprint was recorded), so stages on
   * the same data compose sequentially and stages on disjoint data in parallel. Stages on the same data compose
   * sequentially whatever their privacy units: each record of that data (an example, or a prompt with its
   * responses) is covered by every one of them. Stages are named {@code "1:sft"}, {@code "2:dpo"}, ...
   *
   * @throws IllegalArgumentException for a private stage of an unknown accountant
   */
  public static PrivacyLedger fromHistory(List<TrainingStage> history) {
    PrivacyLedger ledger = new PrivacyLedger();
    for (int i = 0; i < history.size(); i++) {
      TrainingStage stage = history.get(i);
      String name = (i + 1) + ":" + stage.kind();
      String dataset = stage.dataFingerprint().isEmpty() ? "name:" + stage.dataName() : stage.dataFingerprint();
      if (stage.privacy().isEmpty()) {
        ledger.addNonPrivateStage(name, dataset, stage.steps());
        continue;
      }
      PrivacySpent spent = stage.privacy().get();
      PrivacyAccountant accountant = switch (spent.accountant()) {
        case "rdp" -> new RdpAccountant();
        case "pld" -> new PldAccountant();
        default -> throw new IllegalArgumentException(
            "stage " + name + " used an unknown accountant \"" + spent.accountant() + "\"");
      };
      ledger.addStage(name, dataset, accountant.add(spent.noiseMultiplier(), spent.samplingRate(), spent.steps()));
    }
    return ledger;
  }

  /** The delta a history's total is reported at: the largest of its private stages'; empty when none is private. */
  public static OptionalDouble deltaOf(List<TrainingStage> history) {
    return history.stream().flatMap(s -> s.privacy().stream()).mapToDouble(PrivacySpent::delta).max();
  }

  private void checkNewName(String name) {
    for (Stage existing : stages) {
      Args.check(!existing.name().equals(name), "stage name must be unique, got %s twice", name);
    }
    for (NonPrivateStage existing : nonPrivate) {
      Args.check(!existing.name().equals(name), "stage name must be unique, got %s twice", name);
    }
  }

  /** The non-private stages in order (an immutable copy). */
  public synchronized List<NonPrivateStage> nonPrivateStages() {
    return List.copyOf(nonPrivate);
  }

  /** The stages in order (an immutable copy). */
  public synchronized List<Stage> stages() {
    return List.copyOf(stages);
  }

  /**
   * The pipeline's guarantee at {@code delta}, with each data set's and each stage's part.
   *
   * @param delta in (0, 1)
   */
  public PrivacyReport report(double delta) {
    PrivacyAccountant.checkDelta(delta);
    List<Stage> all = stages();
    List<NonPrivateStage> open = nonPrivateStages();
    Args.check(!all.isEmpty() || !open.isEmpty(), "the ledger has no stages");
    Map<String, List<Stage>> byDataset = new LinkedHashMap<>();
    for (Stage stage : all) {
      byDataset.computeIfAbsent(stage.dataset(), k -> new ArrayList<>()).add(stage);
    }
    Map<String, List<NonPrivateStage>> openByDataset = new LinkedHashMap<>();
    for (NonPrivateStage stage : open) {
      openByDataset.computeIfAbsent(stage.dataset(), k -> new ArrayList<>()).add(stage);
    }
    if (all.isEmpty()) {
      return unprotected(delta, openByDataset);
    }
    Map<String, Double> stageEpsilon = new LinkedHashMap<>();
    for (Stage stage : all) {
      stageEpsilon.put(stage.name(), stage.accountant().epsilon(delta));
    }
    Map<String, Double> datasetEpsilon = new LinkedHashMap<>();
    for (Map.Entry<String, List<Stage>> entry : byDataset.entrySet()) {
      datasetEpsilon.put(entry.getKey(), openByDataset.containsKey(entry.getKey())
          ? Double.POSITIVE_INFINITY : sequential(entry.getValue(), delta));
    }
    double epsilon = datasetEpsilon.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    List<PrivacyReport.DatasetShare> datasetShares = new ArrayList<>();
    for (Map.Entry<String, List<Stage>> entry : byDataset.entrySet()) {
      List<Stage> group = entry.getValue();
      List<String> names = new ArrayList<>(group.stream().map(Stage::name).toList());
      openByDataset.getOrDefault(entry.getKey(), List.of()).forEach(s -> names.add(s.name()));
      double e = datasetEpsilon.get(entry.getKey());
      datasetShares.add(new PrivacyReport.DatasetShare(entry.getKey(), names, e,
          differentAccountants(group) ? OptionalDouble.of(naiveSum(group, delta)) : OptionalDouble.empty(),
          e == epsilon));
    }
    List<PrivacyReport.StageShare> stageShares = new ArrayList<>();
    for (Stage stage : all) {
      boolean exposed = openByDataset.containsKey(stage.dataset());
      double sum = 0;
      for (Stage other : byDataset.get(stage.dataset())) {
        sum += stageEpsilon.get(other.name());
      }
      double own = stageEpsilon.get(stage.name());
      double share = exposed ? 0 : sum > 0 ? own / sum : 1.0 / byDataset.get(stage.dataset()).size();
      stageShares.add(new PrivacyReport.StageShare(stage.name(), stage.dataset(), stage.accountant().name(),
          stage.accountant().totalSteps(), own, share));
    }
    for (NonPrivateStage stage : open) {
      stageShares.add(nonPrivateShare(stage, openByDataset));
    }
    return new PrivacyReport(epsilon, delta, datasetShares, stageShares);
  }

  /** The report of a ledger without private stages: no guarantee for any data set. */
  private static PrivacyReport unprotected(double delta, Map<String, List<NonPrivateStage>> openByDataset) {
    List<PrivacyReport.DatasetShare> datasets = new ArrayList<>();
    List<PrivacyReport.StageShare> stages = new ArrayList<>();
    for (Map.Entry<String, List<NonPrivateStage>> entry : openByDataset.entrySet()) {
      datasets.add(new PrivacyReport.DatasetShare(entry.getKey(),
          entry.getValue().stream().map(NonPrivateStage::name).toList(), Double.POSITIVE_INFINITY,
          OptionalDouble.empty(), true));
      entry.getValue().forEach(s -> stages.add(nonPrivateShare(s, openByDataset)));
    }
    return new PrivacyReport(Double.POSITIVE_INFINITY, delta, datasets, stages);
  }

  private static PrivacyReport.StageShare nonPrivateShare(
      NonPrivateStage stage, Map<String, List<NonPrivateStage>> openByDataset) {
    return new PrivacyReport.StageShare(stage.name(), stage.dataset(), "none", stage.steps(),
        Double.POSITIVE_INFINITY, 1.0 / openByDataset.get(stage.dataset()).size());
  }

  /** The ledger (stages with their accountants' settings and histories) as one JSON object. */
  public String toJson() {
    ObjectNode root = PrivacyAccountant.JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", 1);
    ArrayNode array = root.putArray("stages");
    for (Stage stage : stages()) {
      ObjectNode node = array.addObject();
      node.put("name", stage.name());
      node.put("dataset", stage.dataset());
      node.set("accountant", stage.accountant().toJsonNode());
    }
    ArrayNode open = root.putArray("non_private_stages");
    for (NonPrivateStage stage : nonPrivateStages()) {
      open.addObject().put("name", stage.name()).put("dataset", stage.dataset()).put("steps", stage.steps());
    }
    try {
      return PrivacyAccountant.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Saves {@link #toJson()} to {@code file} atomically. */
  public void save(Path file) {
    AtomicFiles.writeString(file, toJson() + "\n");
  }

  /**
   * Reads a ledger saved by {@link #save}.
   *
   * @throws DataFormatException when the file is not a saved ledger
   * @throws UncheckedIOException when it cannot be read
   */
  public static PrivacyLedger load(Path file) {
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses {@link #toJson()} output. */
  public static PrivacyLedger fromJson(String json) {
    return fromJson(json, "<json>");
  }

  private static PrivacyLedger fromJson(String json, String source) {
    JsonNode root;
    try {
      root = PrivacyAccountant.JSON.readTree(json);
    } catch (IOException e) {
      throw new DataFormatException(source + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText()) || !root.path("stages").isArray()) {
      throw new DataFormatException(source, "not a saved privacy ledger (missing \"format\": \"" + FORMAT + "\")");
    }
    PrivacyLedger ledger = new PrivacyLedger();
    for (JsonNode node : root.path("stages")) {
      PrivacyAccountant accountant = PrivacyAccountant.fromJsonNode(node.path("accountant"), source);
      try {
        ledger.addStage(node.path("name").asText(""), node.path("dataset").asText(""), accountant);
      } catch (IllegalArgumentException e) {
        throw new DataFormatException(source, e.getMessage());
      }
    }
    for (JsonNode node : root.path("non_private_stages")) {
      try {
        ledger.addNonPrivateStage(node.path("name").asText(""), node.path("dataset").asText(""),
            node.path("steps").asLong(-1));
      } catch (IllegalArgumentException e) {
        throw new DataFormatException(source, e.getMessage());
      }
    }
    return ledger;
  }

  /** Sequential composition: the group's histories composed under each distinct accountant; the smallest. */
  private static double sequential(List<Stage> group, double delta) {
    Map<String, PrivacyAccountant> configurations = new LinkedHashMap<>();
    for (Stage stage : group) {
      configurations.putIfAbsent(configuration(stage.accountant()), stage.accountant());
    }
    double best = Double.POSITIVE_INFINITY;
    for (PrivacyAccountant kind : configurations.values()) {
      PrivacyAccountant composed = kind.emptyCopy();
      for (Stage stage : group) {
        composed.addAll(stage.accountant().history());
      }
      best = Math.min(best, composed.epsilon(delta));
    }
    return best;
  }

  private static boolean differentAccountants(List<Stage> group) {
    return group.stream().map(s -> configuration(s.accountant())).distinct().count() > 1;
  }

  /** Basic composition: each stage at delta / k, epsilons summed. */
  private static double naiveSum(List<Stage> group, double delta) {
    double share = delta / group.size();
    double sum = 0;
    for (Stage stage : group) {
      sum += stage.accountant().epsilon(share);
    }
    return sum;
  }

  private static String configuration(PrivacyAccountant accountant) {
    ObjectNode settings = PrivacyAccountant.JSON.createObjectNode();
    accountant.writeSettings(settings);
    return accountant.name() + settings;
  }
}
