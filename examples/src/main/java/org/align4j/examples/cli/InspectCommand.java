package org.align4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.align4j.core.checkpoint.CheckpointException;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.provenance.PrivacySpent;
import org.align4j.core.provenance.Provenance;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.privacy.PrivacyLedger;
import org.align4j.core.privacy.PrivacyReport;
import org.align4j.rewardmodel.TransformerRewardModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code align4j inspect CKPT}: a checkpoint's configuration and history, with the model's total epsilon composed
 * by {@link PrivacyLedger#fromHistory}. Loading verifies every file's checksum, so an edited checkpoint is refused.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Print a checkpoint's configuration and training history (every stage with its data"
        + " fingerprint, settings, steps, seed and privacy spent) and the model's total epsilon: stages on the same"
        + " data compose sequentially, stages on disjoint data in parallel, and a non-private stage on data a"
        + " private stage used makes it infinite.",
        "CKPT is a language-model or reward-model checkpoint (directory or .zip)."})
public final class InspectCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CKPT", description = "The checkpoint (directory or .zip).")
  Path checkpoint;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    boolean rewardModel = isRewardModel(checkpoint);
    Provenance provenance = rewardModel
        ? TransformerRewardModel.load(checkpoint).provenance() : Checkpoints.load(checkpoint).provenance();
    List<TrainingStage> history = provenance.history();
    OptionalDouble delta = PrivacyLedger.deltaOf(history);
    PrivacyReport report = history.isEmpty() ? null
        : PrivacyLedger.fromHistory(history).report(delta.orElse(1e-5));
    double total = report == null ? Double.POSITIVE_INFINITY : report.epsilon();
    String why = reason(history, report);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JSON.writeValueAsString(toJson(provenance, rewardModel, total, delta, why)));
    } else {
      print(out, provenance, rewardModel, total, delta, why);
    }
    out.flush();
    return 0;
  }

  private ObjectNode toJson(
      Provenance p, boolean rewardModel, double total, OptionalDouble delta, String why) {
    ObjectNode root = JSON.createObjectNode();
    root.put("checkpoint", checkpoint.toString());
    root.put("kind", p.kind());
    root.put("reward_model", rewardModel);
    root.set("configuration", JSON.valueToTree(p.configuration()));
    root.put("seed", p.seed());
    root.put("library_version", p.libraryVersion());
    root.put("created_at", p.createdAt());
    ArrayNode stages = root.putArray("history");
    for (int i = 0; i < p.history().size(); i++) {
      TrainingStage s = p.history().get(i);
      ObjectNode node = stages.addObject();
      node.put("stage", i + 1);
      node.put("kind", s.kind());
      node.put("data_name", s.dataName());
      node.put("data_fingerprint", s.dataFingerprint());
      node.put("steps", s.steps());
      node.put("seed", s.seed());
      node.put("library_version", s.libraryVersion());
      node.put("created_at", s.createdAt());
      node.set("settings", JSON.valueToTree(s.settings()));
      if (s.privacy().isEmpty()) {
        node.putNull("privacy");
      } else {
        PrivacySpent q = s.privacy().get();
        ObjectNode privacy = node.putObject("privacy");
        putEpsilon(privacy, "epsilon", q.epsilon());
        privacy.put("delta", q.delta());
        privacy.put("noise_multiplier", q.noiseMultiplier());
        privacy.put("sampling_rate", q.samplingRate());
        privacy.put("steps", q.steps());
        privacy.put("accountant", q.accountant());
        privacy.put("unit", q.unit().jsonName());
      }
    }
    putEpsilon(root, "total_epsilon", total);
    if (delta.isPresent()) {
      root.put("total_delta", delta.getAsDouble());
    } else {
      root.putNull("total_delta");
    }
    root.put("total_epsilon_note", why);
    return root;
  }

  private void print(PrintWriter out, Provenance p, boolean rewardModel, double total, OptionalDouble delta,
      String why) {
    out.printf("checkpoint       %s%n", checkpoint);
    out.printf("kind             %s%s%n", p.kind(), rewardModel ? " (reward model)" : "");
    out.printf("configuration    %s%n", new java.util.TreeMap<>(p.configuration()));
    out.printf("seed             %d%n", p.seed());
    out.printf("created          %s by align4j %s%n", p.createdAt(), p.libraryVersion());
    out.printf("history          %d stage%s%n", p.history().size(), p.history().size() == 1 ? "" : "s");
    for (int i = 0; i < p.history().size(); i++) {
      TrainingStage s = p.history().get(i);
      out.printf("  %d. %s on %s, %d steps, seed %d (align4j %s, %s)%n", i + 1, s.kind(), s.dataName(), s.steps(),
          s.seed(), s.libraryVersion(), s.createdAt());
      out.printf("     data fingerprint  %s%n", s.dataFingerprint().isEmpty() ? "(not recorded)" : s.dataFingerprint());
      out.printf("     privacy           %s%n", s.privacy().map(InspectCommand::describe).orElse("none (not private)"));
      if (!s.settings().isEmpty()) {
        out.printf("     settings          %s%n", s.settings());
      }
    }
    out.printf("total epsilon    %s%s (%s)%n", Double.isInfinite(total) ? "infinite"
        : String.format(Locale.ROOT, "%.4f", total),
        delta.isPresent() && !Double.isInfinite(total) ? " at delta " + delta.getAsDouble() : "", why);
  }

  private static String describe(PrivacySpent q) {
    return String.format(Locale.ROOT, "epsilon %s at delta %s (%s; noise multiplier %s, sampling rate %s, %d steps,"
        + " per %s)", Double.isInfinite(q.epsilon()) ? "infinite" : String.format(Locale.ROOT, "%.4f", q.epsilon()),
        q.delta(), q.accountant(), q.noiseMultiplier(), q.samplingRate(), q.steps(), q.unit().jsonName());
  }

  /** Why the total is what it is, in words. */
  private static String reason(List<TrainingStage> history, PrivacyReport report) {
    if (history.isEmpty()) {
      return "untrained: no stage";
    }
    if (history.stream().noneMatch(TrainingStage::isPrivate)) {
      return "no stage was private";
    }
    for (PrivacyReport.DatasetShare d : report.datasets()) {
      if (Double.isInfinite(d.epsilon())) {
        List<String> open = report.stages().stream()
            .filter(s -> s.dataset().equals(d.dataset()) && s.accountant().equals("none"))
            .map(PrivacyReport.StageShare::stage).toList();
        return open.isEmpty() ? "no finite epsilon reaches the delta"
            : "stage " + String.join(", ", open) + " trained without privacy on data a private stage used";
      }
    }
    return "sequential composition of the stages on the same data, the largest over disjoint data";
  }

  private static void putEpsilon(ObjectNode node, String field, double epsilon) {
    if (Double.isInfinite(epsilon)) {
      node.put(field, "Infinity");
    } else {
      node.put(field, epsilon);
    }
  }

  /** Whether {@code path} holds a reward-model checkpoint (a {@code reward_model.json} at its top). */
  private static boolean isRewardModel(Path path) {
    if (Files.isDirectory(path)) {
      return Files.exists(path.resolve("reward_model.json"));
    }
    if (!Files.isRegularFile(path)) {
      throw new CheckpointException(path.toString(), "does not exist");
    }
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(path))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().equals("reward_model.json")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new CheckpointException(path.toString(), "cannot be read as a zip file (" + e.getMessage() + ")", e);
    }
  }
}
