package org.align4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.align4j.rewardmodel.calibration.Calibration;
import org.align4j.rewardmodel.calibration.Calibrator;
import org.align4j.rewardmodel.calibration.RewardPairs;
import org.align4j.rewardmodel.calibration.io.RewardFiles;
import org.align4j.rewardmodel.eval.RewardBenchScores;
import org.align4j.rewardmodel.eval.RewardBenchSection;
import org.align4j.rewardmodel.eval.RewardEvaluation;

/**
 * {@code calibrate --all-rms}: fits and applies the calibration to each reward model of a file and summarises them:
 * per model the accuracy, the RewardBench sections (when the subsets are RewardBench's) and the Spearman correlation
 * of reward with length before and after, and its gain; then the mean gain over the models. The gain is the change
 * of the RewardBench overall score when there is one, else of the accuracy in percentage points.
 */
final class CalibrateAllRms {

  /** One reward model's evaluations before and after. */
  private record Row(String rm, int pairs, RewardEvaluation before, RewardEvaluation after) {
    double gain() {
      return before.rewardBench().isPresent()
          ? after.rewardBench().orElseThrow().overall() - before.rewardBench().get().overall()
          : 100 * (after.accuracy() - before.accuracy());
    }
  }

  private CalibrateAllRms() {}

  static int run(CalibrateCommand c) throws Exception {
    if (c.rm != null || c.output != null || c.save != null || c.chart != null) {
      throw new IllegalArgumentException("--all-rms summarises every reward model and writes no files: drop "
          + (c.rm != null ? "--rm" : c.output != null ? "--output" : c.save != null ? "--save" : "--chart"));
    }
    Calibrator calibrator = c.calibrator();
    List<Row> rows = new ArrayList<>();
    for (String rm : RewardFiles.rewardModels(c.input)) {
      RewardPairs pairs = RewardFiles.read(c.input, rm.isEmpty() ? null : rm);
      Calibration calibration = calibrator.fit(pairs);
      rows.add(new Row(rm, pairs.size(), CalibrateCommand.evaluate(pairs),
          CalibrateCommand.evaluate(calibration.apply(pairs))));
    }
    double meanGain = rows.stream().mapToDouble(Row::gain).average().orElseThrow();
    PrintWriter out = c.spec.commandLine().getOut();
    if (c.json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("input", c.input.toString());
      root.put("method", calibrator.method().id());
      ArrayNode models = root.putArray("reward_models");
      for (Row r : rows) {
        ObjectNode m = models.addObject();
        m.put("rm", r.rm());
        m.put("pairs", r.pairs());
        CalibrateCommand.evaluationJson(m.putObject("before"), r.before());
        CalibrateCommand.evaluationJson(m.putObject("after"), r.after());
        m.put("gain", r.gain());
      }
      root.put("mean_gain", meanGain);
      out.println(mapper.writeValueAsString(root));
    } else {
      printText(out, c, calibrator, rows, meanGain);
    }
    out.flush();
    return 0;
  }

  private static void printText(PrintWriter out, CalibrateCommand c, Calibrator calibrator, List<Row> rows,
      double meanGain) {
    out.printf(Locale.ROOT, "%s: %d reward models, method %s%n", c.input, rows.size(), calibrator.method().id());
    out.printf(Locale.ROOT, "%-24s %6s %9s %9s %8s %9s %9s%n", "reward model", "pairs", "before", "after", "gain",
        "rho bef.", "rho aft.");
    for (Row r : rows) {
      boolean rb = r.before().rewardBench().isPresent();
      out.printf(Locale.ROOT, "%-24s %6d %9.4f %9.4f %+8.4f %9.4f %9.4f%n", r.rm().isEmpty() ? "(one model)" : r.rm(),
          r.pairs(), rb ? r.before().rewardBench().get().overall() : 100 * r.before().accuracy(),
          rb ? r.after().rewardBench().orElseThrow().overall() : 100 * r.after().accuracy(), r.gain(),
          r.before().lengthCorrelation().orElse(Double.NaN), r.after().lengthCorrelation().orElse(Double.NaN));
      if (rb) {
        RewardBenchScores b = r.before().rewardBench().get();
        RewardBenchScores a = r.after().rewardBench().orElseThrow();
        for (RewardBenchSection section : RewardBenchSection.values()) {
          if (b.section(section).isPresent()) {
            out.printf(Locale.ROOT, "  %-22s %6s %9.4f %9.4f%n", section.title(), "", b.section(section).getAsDouble(),
                a.section(section).getAsDouble());
          }
        }
      }
    }
    out.printf(Locale.ROOT, "mean gain: %+.4f (%s)%n", meanGain,
        rows.get(0).before().rewardBench().isPresent() ? "RewardBench overall" : "accuracy, percentage points");
  }
}
