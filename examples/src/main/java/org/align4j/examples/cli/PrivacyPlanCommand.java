package org.align4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.align4j.core.privacy.BudgetSplit;
import org.align4j.core.privacy.PrivacyPlan;
import org.align4j.core.privacy.PrivacyPlanner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code align4j privacy plan}: split a pipeline's privacy budget across its stages and calibrate each one. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Split a total (epsilon, delta) across the DP-SGD stages of a pipeline, calibrate each stage's noise "
            + "multiplier (as 'privacy noise' does) and compose them (as the privacy ledger does).",
        "Stages on the same data set compose sequentially (epsilon shares sum to the total, delta is split "
            + "equally); stages on different data sets compose in parallel (each data set gets the whole budget; "
            + "the total is the largest over data sets)."})
public final class PrivacyPlanCommand implements Callable<Integer> {

  /** The data set of a stage given without one: all such stages share it, the safe assumption. */
  static final String DEFAULT_DATASET = "shared";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--epsilon", required = true, description = "Total epsilon of the pipeline (> 0).")
  double epsilon;

  @Option(names = "--delta", required = true, description = "Total delta of the pipeline, in (0, 1).")
  double delta;

  @Option(names = "--stage", required = true, paramLabel = "NAME:N:BATCH:STEPS[:DATA]",
      description = "A stage (repeat, in pipeline order): its name, data size N, expected batch size (sampling "
          + "rate BATCH/N, Poisson), steps, and the identity of its data set (default '" + DEFAULT_DATASET + "': "
          + "stages without one share one data set).")
  List<String> stages;

  @Option(names = "--split", defaultValue = "equal",
      description = "How a data set's epsilon is split among its stages: equal (default), proportional (each "
          + "stage's share is what it spends at the one noise multiplier that all stages of the data set then "
          + "get), or comma-separated shares in --stage order (each > 0, summing to 1 on each data set).")
  String split;

  @Option(names = "--accountant", defaultValue = "rdp", description = "rdp (default) or pld.")
  String accountant;

  @Option(names = "--conversion", defaultValue = "improved",
      description = "RDP to (epsilon, delta) conversion: improved (default) or classic.")
  String conversion;

  @Option(names = "--max-noise", defaultValue = "100",
      description = "Refuse a stage that would need a noise multiplier above this (default 100).")
  double maxNoise;

  @Option(names = "--tight", description = "Scale the epsilons of the stages of each data set by one factor so "
      + "that the accountant's composition of their histories reaches the total (less noise; without it the "
      + "stages' epsilons sum to the total and the composition usually stays below it).")
  boolean tight;

  @Option(names = "--strict", description = "Refuse, instead of warning, a delta that is not below 1/N.")
  boolean strict;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrivacyPlanner.Builder builder = PrivacyPlanner.builder();
    try {
      builder.total(epsilon, delta);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replaceFirst("^(epsilon|delta)\\b", "--$1"), e);
    }
    for (String stage : stages) {
      builder.stage(parseStage(stage));
    }
    PrivacyPlanner planner;
    try {
      planner = builder.split(parseSplit(split)).maxNoiseMultiplier(maxNoise)
          .accountants(PrivacyCommand.accountants(accountant, conversion)).strict(strict).tight(tight).build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replaceFirst("^shares?\\b", "--split $0")
          .replaceFirst("^maxNoiseMultiplier\\b", "--max-noise"), e);
    }
    PrivacyPlan plan = planner.plan();
    PrintWriter err = spec.commandLine().getErr();
    plan.warnings().forEach(w -> err.println("warning: " + w));
    err.flush();
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? toJson(plan) + "\n" : table(plan));
    out.flush();
    return 0;
  }

  /** Parses {@code name:N:batch:steps[:data]}. */
  static PrivacyPlanner.StageSpec parseStage(String text) {
    String[] parts = text.split(":", -1);
    if (parts.length < 4 || parts.length > 5) {
      throw new IllegalArgumentException("--stage must be NAME:N:BATCH:STEPS[:DATA], got '" + text + "'");
    }
    String name = parts[0];
    return new PrivacyPlanner.StageSpec(name, number(name, "N", parts[1]), number(name, "batch size", parts[2]),
        number(name, "steps", parts[3]), parts.length == 5 ? parts[4] : DEFAULT_DATASET);
  }

  private static long number(String stage, String what, String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--stage " + stage + ": " + what + " must be an integer, got '" + text + "'");
    }
  }

  /** Parses {@code equal}, {@code proportional} or comma-separated shares. */
  static BudgetSplit parseSplit(String text) {
    switch (text) {
      case "equal":
        return BudgetSplit.equal();
      case "proportional":
        return BudgetSplit.proportional();
      default:
        double[] shares;
        try {
          shares = Arrays.stream(text.split(",", -1)).mapToDouble(s -> Double.parseDouble(s.strip())).toArray();
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "--split must be equal, proportional or comma-separated shares, got '" + text + "'");
        }
        return BudgetSplit.shares(shares);
    }
  }

  static String toJson(PrivacyPlan plan) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("target_epsilon", plan.targetEpsilon());
    root.put("delta", plan.delta());
    root.put("accountant", plan.accountant());
    root.put("split", plan.split());
    root.put("tight", plan.tight());
    root.put("epsilon", plan.epsilon());
    root.put("ledger_epsilon", plan.ledgerEpsilon());
    ArrayNode stages = root.putArray("stages");
    for (PrivacyPlan.StagePlan s : plan.stages()) {
      stages.addObject().put("name", s.name()).put("data_set", s.dataset()).put("data_size", s.dataSize())
          .put("batch_size", s.batchSize()).put("sample_rate", s.sampleRate()).put("steps", s.steps())
          .put("share", s.share()).put("target_epsilon", s.targetEpsilon()).put("delta", s.delta())
          .put("noise_multiplier", s.noiseMultiplier()).put("epsilon", s.epsilon());
    }
    ArrayNode dataSets = root.putArray("data_sets");
    for (PrivacyPlan.DataSetPlan d : plan.dataSets()) {
      ObjectNode node = dataSets.addObject().put("data_set", d.dataset());
      d.stages().forEach(node.putArray("stages")::add);
      node.put("composition", d.composition()).put("scale", d.scale()).put("ledger_epsilon", d.ledgerEpsilon())
          .put("basic_composition_epsilon", d.basicCompositionEpsilon()).put("epsilon", d.epsilon())
          .put("explanation", d.explanation());
    }
    root.put("composition", PrivacyPlan.PARALLEL_RULE);
    plan.warnings().forEach(root.putArray("warnings")::add);
    return mapper.writeValueAsString(root);
  }

  static String table(PrivacyPlan plan) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "privacy plan: total epsilon %s at delta %s (%s accountant, %s split%s)%n%n",
        plan.targetEpsilon(), plan.delta(), plan.accountant(), plan.split(), plan.tight() ? ", tight" : ""));
    int name = width(plan, true);
    int data = width(plan, false);
    String columns = "%-" + name + "s  %-" + data + "s  %10s  %8s  %9s  %8s  %6s  %10s  %9s  %9s  %9s%n";
    s.append(String.format(Locale.ROOT, columns, "stage", "data set", "N", "batch", "q", "steps", "share",
        "eps target", "delta", "noise", "epsilon"));
    for (PrivacyPlan.StagePlan st : plan.stages()) {
      s.append(String.format(Locale.ROOT,
          "%-" + name + "s  %-" + data + "s  %10d  %8d  %9.3g  %8d  %6.4f  %10.4f  %9.3g  %9.5f  %9.4f%n",
          st.name(), st.dataset(), st.dataSize(), st.batchSize(), st.sampleRate(), st.steps(), st.share(),
          st.targetEpsilon(), st.delta(), st.noiseMultiplier(), st.epsilon()));
    }
    s.append('\n');
    for (PrivacyPlan.DataSetPlan d : plan.dataSets()) {
      s.append(String.format(Locale.ROOT, "data set %s (%s): epsilon %.4f", d.dataset(), d.composition(),
          d.epsilon()));
      if (d.stages().size() > 1) {
        s.append(String.format(Locale.ROOT, " (ledger %.4f, sum of stages %.4f)", d.ledgerEpsilon(),
            d.basicCompositionEpsilon()));
      }
      s.append("\n  ").append(d.explanation()).append('\n');
    }
    if (plan.dataSets().size() > 1) {
      s.append(PrivacyPlan.PARALLEL_RULE).append('\n');
    }
    s.append(String.format(Locale.ROOT, "%ntotal: epsilon %.4f <= %s at delta %s (ledger %.4f)%n", plan.epsilon(),
        plan.targetEpsilon(), plan.delta(), plan.ledgerEpsilon()));
    return s.toString();
  }

  private static int width(PrivacyPlan plan, boolean names) {
    int width = names ? "stage".length() : "data set".length();
    for (PrivacyPlan.StagePlan st : plan.stages()) {
      width = Math.max(width, (names ? st.name() : st.dataset()).length());
    }
    return width;
  }
}
