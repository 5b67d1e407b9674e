package org.align4j.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.align4j.core.data.DataFormatException;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.data.TextLines;
import org.align4j.rewardmodel.eval.RewardEvaluation;
import org.align4j.rewardmodel.scoring.LengthUnit;
import org.align4j.rewardmodel.scoring.NamedRewardModel;
import org.align4j.rewardmodel.scoring.RewardScorer;
import org.align4j.rewardmodel.scoring.ScoreFiles;
import org.align4j.rewardmodel.scoring.ScoredPair;
import org.align4j.rewardmodel.scoring.ScoredResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j score}: scores preference pairs (or single responses) with one or several reward-model checkpoints
 * and writes a reward file with lengths in tokens and characters, which {@code calibrate} reads as it is.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = {"Score preference pairs (or responses) with reward-model checkpoints and write a reward file "
        + "(JSONL) that calibrate reads: rewards, lengths in tokens and characters, the reward model's name (rm) "
        + "and fingerprint (rm_id).",
        "With several --reward-model, each model's rows are written, then those of their mean (rm "
            + "ensemble-mean); calibrate --all-rms summarises them all."})
public final class ScoreCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--reward-model", required = true, paramLabel = "CKPT",
      description = "A reward-model checkpoint (from train-rm); repeat for an ensemble.")
  List<Path> rewardModels;

  @Option(names = "--pairs", paramLabel = "FILE",
      description = "JSONL preference pairs ({\"prompt\",\"chosen\",\"rejected\"}, optional \"id\", \"category\" "
          + "written as subset).")
  Path pairs;

  @Option(names = "--responses", paramLabel = "FILE",
      description = "JSONL responses ({\"prompt\",\"response\"}, optional \"id\") instead of pairs.")
  Path responses;

  @Option(names = "--output", paramLabel = "FILE.jsonl", defaultValue = "align4j-out/scores.jsonl",
      description = "The reward file (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--length-unit", defaultValue = "tokens",
      description = "Unit of chosen_length and rejected_length: tokens (of the reward model's tokenizer) or chars "
          + "(default: ${DEFAULT-VALUE}). Both units' lengths are written as well.")
  String lengthUnit;

  @Option(names = "--overwrite", description = "Replace an existing --output written by an earlier score.")
  boolean overwrite;

  @Option(names = "--json", description = "Print one JSON object with the results.")
  boolean json;

  @Override
  public Integer call() {
    if ((pairs == null) == (responses == null)) {
      throw new IllegalArgumentException("give --pairs or --responses (one of them)");
    }
    LengthUnit unit = parseUnit(lengthUnit);
    if (!ScoreFiles.isJsonl(output)) {
      throw new IllegalArgumentException("--output " + output + " must end in .jsonl (score writes JSONL)");
    }
    OutputGuard.file("--output", output, OwnOutput.SCORES_JSONL, overwrite);
    Path input = InputFiles.requireFile(pairs != null ? "--pairs" : "--responses", pairs != null ? pairs : responses);
    List<NamedRewardModel> models = loadModels();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("input", input.toString());
    summary.put("output", output.toString());
    summary.put("length_unit", unit.id());
    List<Map<String, Object>> perModel = new ArrayList<>();
    if (pairs != null) {
      List<PreferencePair> data = JsonlDatasets.preferencePairs(pairs).toList();
      if (data.isEmpty()) {
        throw new IllegalArgumentException("--pairs " + pairs + " holds no pairs");
      }
      List<ScoredPair> rows = new ArrayList<>();
      for (NamedRewardModel rm : models) {
        List<ScoredPair> scored = RewardScorer.scorePairs(rm, data, pairs.toString());
        rows.addAll(scored);
        perModel.add(pairSummary(rm, scored, unit));
      }
      ScoreFiles.writePairs(output, rows, unit);
      summary.put("pairs", data.size());
    } else {
      Responses data = readResponses(responses);
      List<ScoredResponse> rows = new ArrayList<>();
      for (NamedRewardModel rm : models) {
        List<ScoredResponse> scored = RewardScorer.scoreResponses(rm, data.ids, data.prompts, data.responses,
            responses.toString());
        rows.addAll(scored);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rm", rm.name());
        m.put("rm_id", rm.id());
        m.put("mean_reward", scored.stream().mapToDouble(ScoredResponse::reward).average().orElseThrow());
        perModel.add(m);
      }
      ScoreFiles.writeResponses(output, rows, unit);
      summary.put("responses", data.ids.size());
    }
    summary.put("reward_models", perModel);
    print(summary, perModel);
    return 0;
  }

  private void print(Map<String, Object> summary, List<Map<String, Object>> perModel) {
    if (json) {
      Output.print(spec, true, summary);
      return;
    }
    Map<String, Object> head = new LinkedHashMap<>(summary);
    head.remove("reward_models");
    Output.print(spec, false, head);
    PrintWriter out = spec.commandLine().getOut();
    for (Map<String, Object> m : perModel) {
      StringBuilder line = new StringBuilder("  ").append(m.get("rm"));
      m.forEach((k, v) -> {
        if (v instanceof Number number && !k.equals("rm_id")) {
          line.append(String.format(Locale.ROOT, "  %s %.4f", k, number.doubleValue()));
        }
      });
      out.println(line);
    }
    out.flush();
  }

  private static Map<String, Object> pairSummary(NamedRewardModel rm, List<ScoredPair> scored, LengthUnit unit) {
    RewardEvaluation e = RewardEvaluation.of(scored.stream().mapToDouble(ScoredPair::chosenReward).toArray(),
        scored.stream().mapToDouble(ScoredPair::rejectedReward).toArray(), null,
        scored.stream().mapToDouble(p -> p.chosenLength().in(unit)).toArray(),
        scored.stream().mapToDouble(p -> p.rejectedLength().in(unit)).toArray());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rm", rm.name());
    m.put("rm_id", rm.id());
    m.put("accuracy", e.accuracy());
    double rho = e.lengthCorrelation().orElse(Double.NaN);
    m.put("length_spearman", Double.isNaN(rho) ? null : rho);
    return m;
  }

  private List<NamedRewardModel> loadModels() {
    List<NamedRewardModel> models = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Path path : rewardModels) {
      NamedRewardModel rm = RewardArgs.named("--reward-model", path);
      String name = rm.name();
      for (int k = 2; !names.add(name); k++) {
        name = rm.name() + "-" + k;
      }
      models.add(new NamedRewardModel(name, rm.id(), rm.model(), rm.tokenizer()));
    }
    if (models.size() > 1) {
      models.add(NamedRewardModel.ensembleMean(List.copyOf(models)));
    }
    return models;
  }

  static LengthUnit parseUnit(String unit) {
    try {
      return LengthUnit.fromId(unit);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--length-unit must be tokens or chars, got " + unit, e);
    }
  }

  /** Responses read from JSONL. */
  private record Responses(List<String> ids, List<String> prompts, List<String> responses) {}

  private static Responses readResponses(Path path) {
    List<String> lines = TextLines.read(path);
    Responses out = new Responses(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(lines.get(i));
      } catch (JsonProcessingException e) {
        throw new DataFormatException(path.toString(), i + 1, "not valid JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw new DataFormatException(path.toString(), i + 1, "expected a JSON object");
      }
      for (String field : new String[] {"prompt", "response"}) {
        if (!node.path(field).isTextual()) {
          throw new DataFormatException(path.toString(), i + 1, "expected a string \"" + field + "\"");
        }
      }
      JsonNode id = node.get("id");
      out.ids().add(id == null || id.isNull() ? Integer.toString(i + 1) : id.asText());
      out.prompts().add(node.get("prompt").asText());
      out.responses().add(node.get("response").asText());
    }
    if (out.ids().isEmpty()) {
      throw new DataFormatException(path.toString(), "holds no responses");
    }
    return out;
  }
}
