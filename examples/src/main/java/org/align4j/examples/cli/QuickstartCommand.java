package org.align4j.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.align4j.examples.Quickstart;
import org.align4j.examples.QuickstartConfig;
import org.align4j.examples.QuickstartResult;
import org.align4j.memorization.stats.Proportion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j quickstart}: the main job on the embedded default data. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Train a small model and a control model on the embedded synthetic code corpus, audit what the "
        + "model memorized, write HTML and JSON reports, and print a summary.")
public final class QuickstartCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--output-dir", defaultValue = "align4j-out/quickstart",
      description = "Where models and reports go (default: ${DEFAULT-VALUE}): target-model/, control-model/, "
          + "audit.html and audit.json. Other files there are left alone.")
  Path outputDir;

  @Option(names = "--overwrite",
      description = "Replace the models and reports of an earlier quickstart in --output-dir. Files that align4j "
          + "did not write are never replaced.")
  boolean overwrite;

  @Option(names = "--seed", defaultValue = "7", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--examples", defaultValue = "192",
      description = "Unique corpus examples (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--epochs", defaultValue = "3", description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--d-model", defaultValue = "64", description = "Model width (default: ${DEFAULT-VALUE}).")
  int dModel;

  @Option(names = "--json", description = "Print one JSON object with the summary.")
  boolean json;

  @Override
  public Integer call() {
    QuickstartConfig config = QuickstartConfig.builder().seed(seed).uniqueExamples(examples).epochs(epochs)
        .dModel(dModel).outputDir(outputDir).build();
    OutputGuard.directory("--output-dir", outputDir);
    OutputGuard.checkpoint("--output-dir", config.targetModelPath(), overwrite);
    OutputGuard.checkpoint("--output-dir", config.controlModelPath(), overwrite);
    OutputGuard.file("--output-dir", config.htmlReportPath(), OwnOutput.AUDIT_HTML, overwrite);
    OutputGuard.file("--output-dir", config.jsonReportPath(), OwnOutput.AUDIT_JSON, overwrite);
    QuickstartResult r = Quickstart.run(config, System.err);
    if (json) {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("html_report", r.htmlReport().toString());
      summary.put("json_report", r.jsonReport().toString());
      Map<String, Object> byDup = new LinkedHashMap<>();
      r.memorizedByDuplicates().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> byDup.put(String.valueOf(e.getKey()), rate(e.getValue())));
      summary.put("memorized_by_duplicates", byDup);
      summary.put("members_memorized", rate(r.membersMemorized()));
      summary.put("held_out_memorized", rate(r.heldOutMemorized()));
      summary.put("counterfactual", rate(r.counterfactual()));
      summary.put("pii_memorized", rate(r.piiMemorized()));
      summary.put("pii_regurgitated", rate(r.piiRegurgitated()));
      summary.put("membership_auc_loss", r.membershipAuc());
      summary.put("training_seconds", r.trainingSeconds());
      summary.put("audit_examples_per_second", r.examplesPerSecond());
      summary.put("audit_generated_tokens_per_second", r.generatedTokensPerSecond());
      Output.print(spec, true, summary);
      return 0;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("Memorization by training duplicates (0 = never trained on):");
    out.println("  duplicates  memorized  rate    95% CI");
    r.memorizedByDuplicates().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
        out.printf(Locale.ROOT, "  %10d  %9s  %s%n", e.getKey(),
            e.getValue().successes() + "/" + e.getValue().trials(), interval(e.getValue())));
    row(out, "trained examples memorized", r.membersMemorized());
    row(out, "never-trained examples memorized", r.heldOutMemorized());
    row(out, "trained examples memorized, not by control", r.counterfactual());
    row(out, "trained PII examples memorized", r.piiMemorized());
    row(out, "trained PII strings regurgitated", r.piiRegurgitated());
    out.printf(Locale.ROOT, "%-42s %.3f%n", "membership inference AUC (loss)", r.membershipAuc());
    out.printf(Locale.ROOT, "%-42s %.1f s; audit %.1f examples/s, %.0f generated tokens/s%n", "training",
        r.trainingSeconds(), r.examplesPerSecond(), r.generatedTokensPerSecond());
    out.println("Reports: " + r.htmlReport() + ", " + r.jsonReport());
    out.flush();
    return 0;
  }

  private static void row(PrintWriter out, String label, Proportion p) {
    out.printf(Locale.ROOT, "%-42s %s (%d/%d)%n", label, interval(p), p.successes(), p.trials());
  }

  private static String interval(Proportion p) {
    return String.format(Locale.ROOT, "%5.1f%%  [%.1f, %.1f]", 100 * p.rate(), 100 * p.lower(), 100 * p.upper());
  }

  private static Map<String, Object> rate(Proportion p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("successes", p.successes());
    m.put("trials", p.trials());
    m.put("rate", p.rate());
    m.put("lower", p.lower());
    m.put("upper", p.upper());
    return m;
  }
}
