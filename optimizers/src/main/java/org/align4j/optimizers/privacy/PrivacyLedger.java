package org.align4j.optimizers.privacy;

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
      Args.check(!dataset.isBlank(), "dataset must not be blank (stage " + name + ")");
    }
  }

  private final List<Stage> stages = new ArrayList<>();

  /** An empty ledger. */
  public PrivacyLedger() {}

  /** Adds a stage; its name must be new. */
  public synchronized PrivacyLedger addStage(String name, String dataset, PrivacyAccountant accountant) {
    Stage stage = new Stage(name, dataset, accountant);
    for (Stage existing : stages) {
      Args.check(!existing.name().equals(name), "stage name must be unique, got " + name + " twice");
    }
    stages.add(stage);
    return this;
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
    Args.check(!all.isEmpty(), "the ledger has no stages");
    Map<String, List<Stage>> byDataset = new LinkedHashMap<>();
    for (Stage stage : all) {
      byDataset.computeIfAbsent(stage.dataset(), k -> new ArrayList<>()).add(stage);
    }
    Map<String, Double> stageEpsilon = new LinkedHashMap<>();
    for (Stage stage : all) {
      stageEpsilon.put(stage.name(), stage.accountant().epsilon(delta));
    }
    List<String> datasetNames = new ArrayList<>();
    List<Double> datasetEpsilon = new ArrayList<>();
    List<OptionalDouble> naive = new ArrayList<>();
    List<List<Stage>> groups = new ArrayList<>();
    for (Map.Entry<String, List<Stage>> entry : byDataset.entrySet()) {
      List<Stage> group = entry.getValue();
      datasetNames.add(entry.getKey());
      datasetEpsilon.add(sequential(group, delta));
      naive.add(differentAccountants(group) ? OptionalDouble.of(naiveSum(group, delta)) : OptionalDouble.empty());
      groups.add(group);
    }
    double epsilon = datasetEpsilon.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    List<PrivacyReport.DatasetShare> datasetShares = new ArrayList<>();
    for (int g = 0; g < datasetNames.size(); g++) {
      datasetShares.add(new PrivacyReport.DatasetShare(datasetNames.get(g),
          groups.get(g).stream().map(Stage::name).toList(), datasetEpsilon.get(g), naive.get(g),
          datasetEpsilon.get(g) == epsilon));
    }
    List<PrivacyReport.StageShare> stageShares = new ArrayList<>();
    for (Stage stage : all) {
      double sum = 0;
      for (Stage other : byDataset.get(stage.dataset())) {
        sum += stageEpsilon.get(other.name());
      }
      double own = stageEpsilon.get(stage.name());
      double share = sum > 0 ? own / sum : 1.0 / byDataset.get(stage.dataset()).size();
      stageShares.add(new PrivacyReport.StageShare(stage.name(), stage.dataset(), stage.accountant().name(),
          stage.accountant().totalSteps(), own, share));
    }
    return new PrivacyReport(epsilon, delta, datasetShares, stageShares);
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
