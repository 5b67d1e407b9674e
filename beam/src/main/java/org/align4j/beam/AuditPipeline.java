package org.align4j.beam;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.model.LanguageModel;
import org.align4j.core.provenance.LibraryVersion;
import org.align4j.core.util.Args;
import org.align4j.memorization.AuditConfig;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Finding;
import org.align4j.memorization.report.AuditProvenance;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A whole audit on a Beam runner, as {@code align4j audit --runner} runs it: JSONL inputs by file pattern
 * ({@link JsonlInput}), the {@link AuditTransform}, findings written as sharded JSONL
 * ({@code <output>findings-SSSSS-of-NNNNN.jsonl}), malformed lines (with {@code skipMalformed}) as
 * {@code <output>malformed-*.jsonl}, and the summary as {@code <output>summary.json}; then, on the launching
 * machine, the report (summary plus the memorized findings, sorted by id) as HTML and JSON.
 */
public final class AuditPipeline {

  private AuditPipeline() {}

  /**
   * What one run produced.
   *
   * @param report the report written as HTML and JSON (keep-only-memorized: all findings are in the shards)
   * @param summary the summary with its AUC error bounds
   * @param malformedLines lines set aside as malformed (0 unless skipping them)
   * @param findingsPattern the pattern matching the findings shards
   */
  public record Result(AuditReport report, AuditSummary summary, long malformedLines, String findingsPattern) {}

  /**
   * Runs the audit and writes the report.
   *
   * @param inputs JSONL file patterns
   * @param checkpoint the audited model (path or URI)
   * @param control the control model, or null
   * @param config the audit's settings
   * @param skipMalformed set malformed lines aside instead of failing
   * @param output prefix of the output files (a directory ends in {@code /})
   * @param html the HTML report to write
   * @param json the JSON report to write, or null
   * @param options the runner's options
   * @throws IllegalArgumentException when a checkpoint cannot be read, a pattern matches nothing, the settings do
   *     not fit the model, a line is malformed (without skipping), or there are no examples
   */
  public static Result run(List<String> inputs, String checkpoint, String control, AuditConfig config,
      boolean skipMalformed, String output, Path html, Path json, PipelineOptions options) {
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(html, "html");
    FileSystems.setDefaultPipelineOptions(options);
    LanguageModel model = load(checkpoint, options);
    LanguageModel controlModel = control == null ? null : load(control, options);
    // An empty batch checks that the windows fit the models and that the tokenizers agree, before any work.
    AuditTransform.auditor(config, controlModel).auditBatch(model, List.of(), 0);

    Pipeline pipeline = Pipeline.create(options);
    JsonlInput read = JsonlInput.of(inputs);
    PCollectionTuple examples = pipeline.apply("Read", skipMalformed ? read.skipMalformed() : read);
    AuditTransform.Builder audit = AuditTransform.builder().checkpoint(checkpoint).config(config);
    if (control != null) {
      audit.control(control);
    }
    PCollectionTuple out = examples.get(JsonlInput.EXAMPLES).apply("Audit", audit.build());
    write(out.get(AuditTransform.FINDINGS), output + "findings", ".jsonl", false);
    write(out.get(AuditTransform.SUMMARY), output + "summary", ".json", true);
    write(examples.get(JsonlInput.MALFORMED), output + "malformed", ".jsonl", false);
    runToCompletion(pipeline);

    List<String> summaryLines = new ArrayList<>();
    forEachLine(output + "summary.json", summaryLines::add);
    Args.check(!summaryLines.isEmpty(), "no examples in %s", String.join(", ", inputs));
    AuditSummary summary = Json.read(summaryLines.get(0), AuditSummary.class, output + "summary.json");
    List<Finding> memorized = new ArrayList<>();
    String findingsPattern = output + "findings-*.jsonl";
    forEachLine(findingsPattern, line -> {
      Finding f = Json.read(line, Finding.class, findingsPattern);
      if (f.memorized()) {
        memorized.add(f);
      }
    });
    memorized.sort(Comparator.comparing(Finding::id));
    long[] malformed = {0};
    forEachLine(output + "malformed-*.jsonl", line -> malformed[0]++);

    AuditProvenance provenance = new AuditProvenance(model.provenance(),
        controlModel == null ? null : controlModel.provenance(), controlModel == null ? null
            : controlModel.provenance(), String.join(",", inputs), summary.dataSha256(), config.seed(),
        LibraryVersion.get(), Instant.now().toString());
    AuditReport report = new AuditReport(memorizedOnly(config), provenance, summary.summary(), memorized,
        List.of());
    report.writeHtml(html);
    if (json != null) {
      report.writeJson(json);
    }
    return new Result(report, summary, malformed[0], findingsPattern);
  }

  /**
   * Runs {@code pipeline} to its end; a worker's failure (a malformed line, a model that cannot be loaded) is
   * rethrown as the exception it threw.
   */
  static void runToCompletion(Pipeline pipeline) {
    PipelineResult.State state;
    try {
      state = pipeline.run().waitUntilFinish();
    } catch (Pipeline.PipelineExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended in state " + state);
    }
  }

  static LanguageModel load(String uri, PipelineOptions options) {
    CheckpointLocation location = new CheckpointLocation(uri);
    location.check(options);
    try {
      return location.load(Checkpoints::load);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot read checkpoint " + uri + ": " + e.getMessage(), e);
    }
  }

  static <T> void write(PCollection<T> values, String prefix, String suffix, boolean single) {
    TextIO.Write write = TextIO.write().to(prefix).withSuffix(suffix);
    values.apply("Json " + prefix, MapElements.into(TypeDescriptors.strings()).via(Json::write))
        .apply("Write " + prefix, single ? write.withoutSharding() : write);
  }

  static void forEachLine(String pattern, Consumer<String> action) {
    try {
      MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
      for (MatchResult.Metadata file : match.metadata()) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
            Channels.newInputStream(FileSystems.open(file.resourceId())), StandardCharsets.UTF_8))) {
          reader.lines().filter(l -> !l.isBlank()).forEach(action);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pattern + ": " + e.getMessage(), e);
    }
  }

  private static AuditConfig memorizedOnly(AuditConfig c) {
    return new AuditConfig(c.prefixTokens(), c.suffixTokens(), c.threshold(), c.normalization(), c.prefixOffsets(),
        c.batchSize(), c.threads(), c.prependBos(), c.samples(), c.temperature(), c.redactVisibleChars(), true,
        c.membershipScores(), c.minKPercent(), c.membershipKey(), c.groupBy(), c.maxGroupsPerKey(), c.seed());
  }
}
