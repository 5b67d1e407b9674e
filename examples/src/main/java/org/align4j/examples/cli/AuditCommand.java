package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.model.TransformerLm;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Auditor;
import org.align4j.memorization.ScanListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j audit}: memorization audit of a saved model on a data file. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Audit a saved model for memorized examples of a JSONL data file and write an HTML report "
        + "(and optionally the JSON report).")
public final class AuditCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "CKPT", description = "Checkpoint to audit.")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "FILE.jsonl", description = "Examples {\"id\",\"text\"}.")
  Path data;

  @Option(names = "--control", paramLabel = "CKPT",
      description = "Control model trained without the audited examples (counterfactual memorization).")
  Path control;

  @Option(names = "--prefix-tokens", defaultValue = "32", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
  int prefixTokens;

  @Option(names = "--suffix-tokens", defaultValue = "48", description = "Target tokens (default: ${DEFAULT-VALUE}).")
  int suffixTokens;

  @Option(names = "--threshold", defaultValue = "0.1",
      description = "Memorized when the normalised edit distance is at most this, in [0, 1] "
          + "(default: ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--report", required = true, paramLabel = "out.html", description = "HTML report to write.")
  Path report;

  @Option(names = "--json", paramLabel = "out.json", description = "JSON report to write.")
  Path json;

  @Option(names = "--overwrite", description = "Replace existing --report and --json files written by an earlier "
      + "audit. Files that align4j did not write are never replaced.")
  boolean overwrite;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Mixin BeamAuditOptions beam;

  @Override
  public Integer call() {
    OutputGuard.file("--report", report, OwnOutput.AUDIT_HTML, overwrite);
    if (json != null) {
      OutputGuard.file("--json", json, OwnOutput.AUDIT_JSON, overwrite);
    }
    Auditor.Builder builder = Auditor.builder().prefixTokens(prefixTokens).suffixTokens(suffixTokens)
        .threshold(threshold).allCores();
    if (beam.active()) {
      Output.print(spec, false, beam.run(spec, builder.build().config(), report, json));
      return 0;
    }
    InputFiles.requireFile("--data", data);
    TransformerLm target = CheckpointArgs.languageModel("--model", model);
    if (control != null) {
      builder.control(CheckpointArgs.languageModel("--control", control));
    }
    if (!quiet) {
      builder.listener(ScanListener.console(System.err));
    }
    AuditReport result = builder.build().scan(target, JsonlDatasets.textExamples(data));
    result.writeHtml(report);
    if (json != null) {
      result.writeJson(json);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("scanned", result.summary().scanned());
    summary.put("skipped_too_short", result.summary().skippedTooShort());
    summary.put("memorized", result.summary().memorized().successes());
    summary.put("memorized_rate", result.summary().memorized().rate());
    summary.put("exact_match", result.summary().exactMatch().successes());
    if (result.summary().counterfactuallyMemorized() != null) {
      summary.put("counterfactually_memorized", result.summary().counterfactuallyMemorized().successes());
    }
    summary.put("report", report.toString());
    Output.print(spec, false, summary);
    return 0;
  }
}
