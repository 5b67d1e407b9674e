package org.align4j.beam;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.align4j.core.util.Args;
import org.align4j.memorization.AuditConfig;
import org.align4j.memorization.Finding;
import org.align4j.memorization.stages.StageAudit;
import org.align4j.memorization.stages.StageAuditResult;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The stage audits of the RLHF memorization study ({@code StageAudit}) on a Beam runner: every stage, and the
 * control once, audited on every split by {@link AuditTransform} (each split read once by {@link JsonlInput}, each
 * distinct checkpoint audited once per split). The audits, the expensive part, run on the workers; their findings
 * are written as sharded JSONL keyed by position ({@code <output>m<i>/s<j>/findings-*.jsonl}: model i in the order
 * of the distinct checkpoints, control first when it is not a stage; split j in the given order; one
 * {@code {"position", "finding"}} object a line) with each audit's summary beside them. The launching machine then
 * reads the findings back in data order and assembles the result with {@code StageAudit.assemble}: the same
 * {@code StageAuditResult} as {@code StageAudit.run} on the same data and models, since each audit's findings equal
 * {@code Auditor.scan}'s bit for bit. Like {@code run}, the assembly holds every finding of every audit in memory
 * (a few hundred bytes each).
 *
 * <p>Differences from {@code run}: a repeated id within a split fails only when both examples are long enough to
 * audit (the check reads the findings); a split's files follow {@link JsonlInput}'s order (sorted names, then
 * lines); malformed lines always fail, naming file and line.
 */
public final class StageAuditPipeline {

  private StageAuditPipeline() {}

  /**
   * A stage: its name and its checkpoint (a path or URI, as for {@link AuditTransform}).
   *
   * @param name the stage's name
   * @param checkpoint the stage model's checkpoint
   */
  public record StageCheckpoint(String name, String checkpoint) {
    /** Validates. */
    public StageCheckpoint {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(checkpoint, "checkpoint");
    }
  }

  /**
   * A split: its name and its JSONL file patterns.
   *
   * @param name the split's name
   * @param patterns its JSONL file patterns (at least one)
   */
  public record SplitFiles(String name, List<String> patterns) {
    /** Validates and copies. */
    public SplitFiles {
      Objects.requireNonNull(name, "name");
      patterns = List.copyOf(patterns);
      Args.check(!patterns.isEmpty(), "the split '%s' needs at least one file pattern", name);
    }
  }

  /**
   * Runs the stage audit of {@code audit}'s settings (its control model, if any, is not used: give the control's
   * checkpoint instead).
   *
   * @param audit the settings ({@code StageAudit.builder()...build()})
   * @param stages the stages, in order
   * @param control the control model's checkpoint (one of the stages' to make that stage the control), or null
   * @param splits the splits, in order
   * @param output prefix of the output files (a directory ends in {@code /})
   * @param options the runner's options
   * @return the result, as {@code StageAudit.run} gives it
   * @throws IllegalArgumentException when a name repeats, a pattern matches nothing, a checkpoint cannot be read,
   *     the settings do not fit a model, a line is malformed, a split holds no examples or an audited id repeats
   */
  public static StageAuditResult run(StageAudit audit, List<StageCheckpoint> stages, String control,
      List<SplitFiles> splits, String output, PipelineOptions options) {
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(output, "output");
    List<String> stageNames = stages.stream().map(StageCheckpoint::name).toList();
    List<String> splitNames = splits.stream().map(SplitFiles::name).toList();
    // The names, pairs and non-member split are checked before any work.
    audit.checkNames(stageNames, splitNames);
    List<String> models = new ArrayList<>();
    if (control != null) {
      models.add(control);
    }
    stages.forEach(s -> {
      if (!models.contains(s.checkpoint())) {
        models.add(s.checkpoint());
      }
    });
    String controlName = control == null ? null : stages.stream().filter(s -> s.checkpoint().equals(control))
        .map(StageCheckpoint::name).findFirst().orElse(StageAudit.CONTROL);

    FileSystems.setDefaultPipelineOptions(options);
    AuditConfig config = audit.auditConfig();
    for (String m : models) {
      // An empty batch checks that the windows fit the model, before any work.
      AuditTransform.auditor(config, null).auditBatch(AuditPipeline.load(m, options), List.of(), 0);
    }
    Pipeline pipeline = Pipeline.create(options);
    for (int j = 0; j < splits.size(); j++) {
      PCollectionTuple read = pipeline.apply("Read s" + j, JsonlInput.of(splits.get(j).patterns()));
      for (int i = 0; i < models.size(); i++) {
        String prefix = output + "m" + i + "/s" + j + "/";
        PCollectionTuple out = read.get(JsonlInput.EXAMPLES).apply("Audit m" + i + " s" + j,
            AuditTransform.builder().checkpoint(models.get(i)).config(config).build());
        PCollection<PositionedFinding> positioned = out.get(AuditTransform.POSITIONED_FINDINGS)
            .apply("Positioned m" + i + " s" + j, MapElements.into(TypeDescriptor.of(PositionedFinding.class))
                .via(kv -> new PositionedFinding(kv.getKey(), kv.getValue())))
            .setCoder(JsonCoder.of(PositionedFinding.class));
        AuditPipeline.write(positioned, prefix + "findings", ".jsonl", false);
        AuditPipeline.write(out.get(AuditTransform.SUMMARY), prefix + "summary", ".json", true);
      }
    }
    AuditPipeline.runToCompletion(pipeline);

    Map<String, Long> sizes = new LinkedHashMap<>();
    List<Map<String, List<Finding>>> byModel = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      byModel.add(new LinkedHashMap<>());
      for (int j = 0; j < splits.size(); j++) {
        String prefix = output + "m" + i + "/s" + j + "/";
        String split = splitNames.get(j);
        List<String> summary = new ArrayList<>();
        AuditPipeline.forEachLine(prefix + "summary.json", summary::add);
        Args.check(!summary.isEmpty(), "the split '%s' holds no examples", split);
        sizes.put(split, Json.read(summary.get(0), AuditSummary.class, prefix + "summary.json").summary()
            .examplesRead());
        byModel.get(i).put(split, findingsInOrder(prefix + "findings-*.jsonl", split));
      }
    }
    Map<String, Map<String, List<Finding>>> findings = new LinkedHashMap<>();
    for (StageCheckpoint s : stages) {
      findings.put(s.name(), byModel.get(models.indexOf(s.checkpoint())));
    }
    return audit.assemble(stageNames, splitNames, sizes, findings, controlName,
        control == null ? null : byModel.get(0));
  }

  /** The findings of one audit in data order; fails on a repeated id. */
  private static List<Finding> findingsInOrder(String pattern, String split) {
    List<PositionedFinding> read = new ArrayList<>();
    AuditPipeline.forEachLine(pattern, line -> read.add(Json.read(line, PositionedFinding.class, pattern)));
    read.sort(Comparator.comparingLong(PositionedFinding::position));
    Set<String> ids = new HashSet<>();
    List<Finding> out = new ArrayList<>(read.size());
    for (PositionedFinding p : read) {
      Args.check(ids.add(p.finding().id()), "the example id '%s' repeats within the split '%s'", p.finding().id(),
          split);
      out.add(p.finding());
    }
    return out;
  }

  /** A finding and its example's position, as written to the shards. */
  record PositionedFinding(long position, Finding finding) {}
}
