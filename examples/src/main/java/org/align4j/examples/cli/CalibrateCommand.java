package org.align4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.align4j.rewardmodel.calibration.Calibration;
import org.align4j.rewardmodel.calibration.CalibrationMethod;
import org.align4j.rewardmodel.calibration.CalibrationSource;
import org.align4j.rewardmodel.calibration.Calibrator;
import org.align4j.rewardmodel.calibration.RewardPairs;
import org.align4j.rewardmodel.calibration.io.CalibrationChart;
import org.align4j.rewardmodel.calibration.io.RewardFile;
import org.align4j.rewardmodel.calibration.io.RewardFiles;
import org.align4j.rewardmodel.eval.RewardBenchScores;
import org.align4j.rewardmodel.eval.RewardBenchSection;
import org.align4j.rewardmodel.eval.RewardEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code align4j calibrate}: length-bias calibration of a reward file (Huang et al. 2024). Prints the accuracy
 * before and after, overall, by subset and by RewardBench section; optionally writes the calibrated rewards, the
 * fitted calibration and a chart.
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description = {
      "Calibrates the length bias of a reward model's scores (RC-LWR, RC-Mean, length penalty).",
      "FILE is CSV or JSONL with chosen_reward, rejected_reward, chosen_length, rejected_length",
      "(optional id, subset, chosen_text_length, rejected_text_length, rm)."
    })
public final class CalibrateCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The reward file.")
  Path input;

  @Option(names = "--method", defaultValue = "lwr",
      description = "lwr, mean, penalty or lwr-penalty (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--frac", defaultValue = "0.9", description = "LOWESS fraction in (0, 1] (default: ${DEFAULT-VALUE}).")
  double frac;

  @Option(names = "--alpha", defaultValue = "1", description = "Strength of the correction (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--iterations", defaultValue = "3",
      description = "LOWESS robustifying iterations (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--delta", defaultValue = "0", description = "LOWESS interpolation distance (default: 0, exact).")
  double delta;

  @Option(names = "--window-ratio", defaultValue = "0.25",
      description = "RC-Mean window half-width over the mean length difference (default: ${DEFAULT-VALUE}).")
  double windowRatio;

  @Option(names = "--min-count", defaultValue = "20",
      description = "RC-Mean minimum responses per window (default: ${DEFAULT-VALUE}).")
  int minCount;

  @Option(names = "--penalty-coef", defaultValue = "0.001",
      description = "Length-penalty coefficient (default: ${DEFAULT-VALUE}).")
  double penaltyCoef;

  @Option(names = "--rm", paramLabel = "NAME", description = "The reward model to use when the file has an rm column.")
  String rm;

  @Option(names = "--output", paramLabel = "FILE", description = "Write the calibrated rewards as CSV.")
  Path output;

  @Option(names = "--save", paramLabel = "FILE", description = "Save the fitted calibration as JSON.")
  Path save;

  @Option(names = "--chart", paramLabel = "FILE.svg", description = "Write an SVG chart of reward against length.")
  Path chart;

  @Option(names = "--overwrite", description = "Replace existing --output, --save and --chart files written by an "
      + "earlier calibrate. Files that align4j did not write are never replaced.")
  boolean overwrite;

  @Option(names = "--all-rms", description = "Summarise every reward model of the file (rm column): accuracy and "
      + "RewardBench sections before and after, Spearman of reward with length, and the mean gain. Writes no files.")
  boolean allRms;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    InputFiles.requireFile("FILE", input);
    if (allRms) {
      return CalibrateAllRms.run(this);
    }
    if (output != null) {
      OutputGuard.file("--output", output, OwnOutput.CALIBRATED_CSV, overwrite);
    }
    if (save != null) {
      OutputGuard.file("--save", save, OwnOutput.CALIBRATION_JSON, overwrite);
    }
    if (chart != null) {
      OutputGuard.file("--chart", chart, OwnOutput.CALIBRATION_SVG, overwrite);
    }
    RewardFile file = RewardFiles.readFile(input, rm);
    RewardPairs pairs = file.pairs();
    Calibration calibration = calibrator().fit(pairs)
        .withSource(new CalibrationSource(file.rm(), file.rmId(), file.lengthUnit()));
    RewardPairs calibrated = calibration.apply(pairs);
    RewardEvaluation before = evaluate(pairs);
    RewardEvaluation after = evaluate(calibrated);
    double changed = RewardEvaluation.preferenceChangedFraction(pairs.chosenReward(), pairs.rejectedReward(),
        calibrated.chosenReward(), calibrated.rejectedReward());
    if (output != null) {
      RewardFiles.writeCalibrated(output, pairs, calibrated);
    }
    if (save != null) {
      calibration.save(save);
    }
    if (chart != null) {
      CalibrationChart.write(chart, pairs, calibrated, calibration);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(calibration, pairs.size(), before, after, changed));
    } else {
      printText(out, calibration, pairs.size(), before, after, changed);
    }
    out.flush();
    return 0;
  }

  Calibrator calibrator() {
    return Calibrator.builder()
        .method(CalibrationMethod.fromId(method)).frac(frac).alpha(alpha).iterations(iterations).delta(delta)
        .windowRatio(windowRatio).minCount(minCount).penaltyCoef(penaltyCoef).build();
  }

  static RewardEvaluation evaluate(RewardPairs p) {
    return RewardEvaluation.of(p.chosenReward(), p.rejectedReward(), p.subsets().toArray(String[]::new),
        p.chosenFeature(), p.rejectedFeature());
  }

  private String toJson(Calibration c, int pairs, RewardEvaluation before, RewardEvaluation after, double changed)
      throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("input", input.toString());
    root.put("rm", rm);
    root.put("pairs", pairs);
    root.put("method", c.method().id());
    ObjectNode parameters = root.putObject("parameters");
    parameters.put("alpha", c.alpha());
    if (c.method().usesLowess()) {
      parameters.put("frac", c.frac());
      parameters.put("iterations", c.iterations());
      parameters.put("delta", c.delta());
    }
    if (c.method() == CalibrationMethod.MEAN) {
      parameters.put("window_ratio", c.windowRatio());
      parameters.put("window_half_width", c.windowHalfWidth());
      parameters.put("min_count", c.minCount());
    }
    if (c.method().usesPenalty()) {
      parameters.put("penalty_coef", c.penaltyCoef());
    }
    evaluationJson(root.putObject("before"), before);
    evaluationJson(root.putObject("after"), after);
    root.put("preference_changed_fraction", changed);
    root.put("output", output == null ? null : output.toString());
    root.put("calibration", save == null ? null : save.toString());
    root.put("chart", chart == null ? null : chart.toString());
    return mapper.writeValueAsString(root);
  }

  static void evaluationJson(ObjectNode node, RewardEvaluation e) {
    node.put("accuracy", e.accuracy());
    node.put("mean_margin", e.meanMargin());
    if (e.lengthCorrelation().isPresent() && !Double.isNaN(e.lengthCorrelation().getAsDouble())) {
      node.put("length_spearman", e.lengthCorrelation().getAsDouble());
    }
    ObjectNode subsets = node.putObject("subsets");
    e.accuracyByCategory().forEach(subsets::put);
    e.rewardBench().ifPresent(rb -> {
      ObjectNode sections = node.putObject("rewardbench");
      rb.sections().forEach((section, score) -> sections.put(section.id(), score));
      sections.put("overall", rb.overall());
    });
  }

  private void printText(PrintWriter out, Calibration c, int pairs, RewardEvaluation before,
      RewardEvaluation after, double changed) {
    out.printf(Locale.ROOT, "%s%s: %d pairs, method %s%n", input, rm == null ? "" : " (" + rm + ")", pairs,
        c.method().id());
    out.printf(Locale.ROOT, "%-28s %9s %9s%n", "", "before", "after");
    out.printf(Locale.ROOT, "%-28s %8.2f%% %8.2f%%%n", "accuracy", 100 * before.accuracy(), 100 * after.accuracy());
    if (before.lengthCorrelation().isPresent()) {
      out.printf(Locale.ROOT, "%-28s %9.4f %9.4f%n", "spearman(reward, length)",
          before.lengthCorrelation().getAsDouble(), after.lengthCorrelation().getAsDouble());
    }
    out.printf(Locale.ROOT, "%-28s %9.4f%n", "preference changed", changed);
    Map<String, Double> subsetsBefore = before.accuracyByCategory();
    if (!subsetsBefore.isEmpty()) {
      out.println("by subset:");
      for (String subset : new TreeSet<>(subsetsBefore.keySet())) {
        out.printf(Locale.ROOT, "  %-26s %8.2f%% %8.2f%%%n", subset, 100 * subsetsBefore.get(subset),
            100 * after.accuracyByCategory().get(subset));
      }
    }
    if (before.rewardBench().isPresent()) {
      RewardBenchScores b = before.rewardBench().get();
      RewardBenchScores a = after.rewardBench().orElseThrow();
      out.println("RewardBench sections:");
      for (RewardBenchSection section : RewardBenchSection.values()) {
        if (b.section(section).isPresent()) {
          out.printf(Locale.ROOT, "  %-26s %9.4f %9.4f%n", section.title(), b.section(section).getAsDouble(),
              a.section(section).getAsDouble());
        }
      }
      out.printf(Locale.ROOT, "  %-26s %9.4f %9.4f%n", "Overall", b.overall(), a.overall());
    }
    if (output != null) {
      out.println("calibrated rewards: " + output);
    }
    if (save != null) {
      out.println("calibration: " + save);
    }
    if (chart != null) {
      out.println("chart: " + chart);
    }
  }
}
