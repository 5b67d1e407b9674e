package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.align4j.beam.AuditPipeline;
import org.align4j.memorization.AuditConfig;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options of {@code audit --runner}: the audit as an Apache Beam pipeline ({@link AuditPipeline}) on the
 * direct runner (in this JVM) or, with the command line built in the matching profile, on Flink, Spark or Dataflow.
 * {@code --data} then takes a file pattern (or a URI pattern), and {@code --model}/{@code --control} a path or URI.
 */
final class BeamAuditOptions {

  @Option(names = "--runner", paramLabel = "RUNNER",
      description = "Run on Apache Beam: direct, flink, spark or dataflow (default: the in-process scan).")
  String runner;

  @Option(names = "--pipeline-option", paramLabel = "NAME=VALUE",
      description = "A Beam pipeline option passed through (repeatable), e.g. flinkMaster=host:8081, "
          + "targetParallelism=4, tempLocation=gs://bucket/tmp.")
  List<String> pipelineOptions = new ArrayList<>();

  @Option(names = "--output", paramLabel = "PREFIX",
      description = "With --runner: prefix of the sharded findings, summary and malformed-line files "
          + "(default: the report's name without extension, plus '-beam/').")
  String output;

  @Option(names = "--skip-malformed",
      description = "With --runner: set malformed JSONL lines aside (counted, written to PREFIXmalformed-*.jsonl) "
          + "instead of failing.")
  boolean skipMalformed;

  /**
   * Whether {@code --runner} was given.
   *
   * @throws IllegalArgumentException when a Beam-only option was given without {@code --runner}
   */
  boolean active() {
    if (runner == null && (skipMalformed || output != null || !pipelineOptions.isEmpty())) {
      throw new IllegalArgumentException("--skip-malformed, --output and --pipeline-option need --runner");
    }
    return runner != null;
  }

  /** Runs the audit on the chosen runner and returns the figures to print. */
  Map<String, Object> run(CommandSpec spec, AuditConfig config, Path report, Path json) {
    String data = raw(spec, "--data");
    String model = raw(spec, "--model");
    String control = spec.commandLine().getParseResult().hasMatchedOption("--control") ? raw(spec, "--control")
        : null;
    String prefix = output != null ? output : report.toString().replaceFirst("\\.[^./]*$", "") + "-beam/";
    AuditPipeline.Result result = AuditPipeline.run(List.of(data), model, control, config, skipMalformed, prefix,
        report, json, options());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("runner", runner);
    summary.put("scanned", result.summary().summary().scanned());
    summary.put("skipped_too_short", result.summary().summary().skippedTooShort());
    summary.put("memorized", result.summary().summary().memorized().successes());
    summary.put("memorized_rate", result.summary().summary().memorized().rate());
    summary.put("malformed_lines", result.malformedLines());
    if (!result.summary().aucErrorBounds().isEmpty()) {
      summary.put("auc_error_bounds", result.summary().aucErrorBounds());
    }
    summary.put("findings", result.findingsPattern());
    summary.put("report", report.toString());
    return summary;
  }

  private PipelineOptions options() {
    String name = switch (runner.toLowerCase(Locale.ROOT)) {
      case "direct" -> "DirectRunner";
      case "flink" -> "FlinkRunner";
      case "spark" -> "SparkRunner";
      case "dataflow" -> "DataflowRunner";
      default -> throw new IllegalArgumentException(
          "--runner must be direct, flink, spark or dataflow, got '" + runner + "'");
    };
    List<String> args = new ArrayList<>();
    args.add("--runner=" + name);
    for (String option : pipelineOptions) {
      if (!option.contains("=")) {
        throw new IllegalArgumentException("--pipeline-option must be NAME=VALUE, got '" + option + "'");
      }
      args.add("--" + option.replaceFirst("^--", ""));
    }
    try {
      return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().create();
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().contains("Unknown 'runner'")) {
        throw new IllegalArgumentException("the " + runner + " runner is not on the class path: build the "
            + "command line with -P" + runner.toLowerCase(Locale.ROOT) + " (see beam/README.md)", e);
      }
      throw new IllegalArgumentException("invalid --pipeline-option: " + e.getMessage(), e);
    }
  }

  /** The option's value as typed (a URI is not a path: {@code gs://b/x} must not become {@code gs:/b/x}). */
  private static String raw(CommandSpec spec, String option) {
    return spec.commandLine().getParseResult().matchedOption(option).stringValues().get(0);
  }
}
