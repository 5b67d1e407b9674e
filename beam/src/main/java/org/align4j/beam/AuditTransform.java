package org.align4j.beam;

import java.util.Objects;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.LanguageModel;
import org.align4j.core.util.Args;
import org.align4j.memorization.AuditConfig;
import org.align4j.memorization.Auditor;
import org.align4j.memorization.ConfiguredAuditor;
import org.align4j.memorization.Finding;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A memorization audit as a Beam transform: the findings and the summary that {@code Auditor.scan} gives on the
 * same examples (membership scores to float rounding, below), computed on any runner.
 *
 * <pre>{@code
 * PCollectionTuple out = examples.apply(AuditTransform.builder()
 *     .checkpoint("gs://bucket/model.zip")
 *     .config(Auditor.builder().prefixTokens(32).suffixTokens(48).build().config())
 *     .build());
 * PCollection<Finding> findings = out.get(AuditTransform.FINDINGS);
 * PCollection<AuditSummary> summary = out.get(AuditTransform.SUMMARY); // one element
 * }</pre>
 *
 * <p>Each {@code DoFn} instance loads the model (and the control model) once, in {@code @Setup}, from a local path
 * or a file-system URI ({@link #builder()} explains which); examples are audited in batches of the configured batch
 * size within each bundle. A greedy continuation does not depend on which examples share its batch, so ids,
 * windows, continuations, distances and memorized flags equal the scan's. Membership scores come from a batched
 * forward pass, whose rows differ in their last float bits with the batch around them (measured: 11 of 16 rows
 * between a batch of 16 and single rows): they equal the scan's to float rounding (about 1e-7 relative), and so
 * do the ROC thresholds; AUCs and TPRs are equal unless two scores lie within that rounding of each other. The
 * summary is a {@code Combine} over {@code SummaryAccumulator}, whose merge is exact: given the same outcomes,
 * counts, Wilson intervals, groups, the histogram and the membership evaluations equal a single pass's whatever
 * the bundling. Membership scores are kept exactly while a score kind has at most {@code exactScoreLimit} of
 * them (default 1,000,000: 8 MB per kind in the accumulator); beyond, they are binned to 10 mantissa bits
 * (relative width 2<sup>-10</sup>) and {@link AuditSummary#aucErrorBounds()} states the bound on each AUC's
 * error, Σ m<sub>b</sub> n<sub>b</sub> / (2 P N) over bins b holding m<sub>b</sub> members and n<sub>b</sub>
 * non-members.
 *
 * <p>Not supported: sampled extraction (its seeds follow the scan's batch order); the input must be in the global
 * window (a bounded collection, as read from files).
 */
public final class AuditTransform extends PTransform<PCollection<TextExample>, PCollectionTuple> {

  private static final long serialVersionUID = 1L;

  /** The findings: one per audited example (only memorized ones in keep-only-memorized mode), in no order. */
  public static final TupleTag<Finding> FINDINGS = new TupleTag<>("findings") {};
  /** The summary: exactly one element (none when the input is empty). */
  public static final TupleTag<AuditSummary> SUMMARY = new TupleTag<>("summary") {};

  private final CheckpointLocation model;
  private final CheckpointLocation control;
  private final AuditConfig config;
  private final long exactScoreLimit;

  private AuditTransform(Builder b) {
    this.model = new CheckpointLocation(b.checkpoint);
    this.control = b.control == null ? null : new CheckpointLocation(b.control);
    this.config = b.config;
    this.exactScoreLimit = b.exactScoreLimit;
  }

  /** A builder; the checkpoint is required, the settings default to {@code Auditor.builder()}'s. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures an {@link AuditTransform}. */
  public static final class Builder {
    private String checkpoint;
    private String control;
    private AuditConfig config = Auditor.builder().build().config();
    private long exactScoreLimit = 1_000_000;

    private Builder() {}

    /**
     * The audited model's checkpoint: a local path (directory or {@code .zip}) that every worker can read, or a
     * URI of a file system registered with Beam ({@code gs://...}, {@code hdfs://...}) naming a {@code .zip}.
     */
    public Builder checkpoint(String uri) {
      this.checkpoint = Objects.requireNonNull(uri, "checkpoint");
      return this;
    }

    /** A control model's checkpoint (counterfactual memorization; also the membership reference model). */
    public Builder control(String uri) {
      this.control = Objects.requireNonNull(uri, "control");
      return this;
    }

    /** The audit's settings, from {@code Auditor.builder()...build().config()}; sampling must be off. */
    public Builder config(AuditConfig c) {
      Objects.requireNonNull(c, "config");
      Args.check(c.samples() == 0, "AuditTransform does not support sampled extraction (samples = "
          + c.samples() + "): its seeds follow Auditor.scan's batch order");
      this.config = c;
      return this;
    }

    /** Membership scores kept exactly per score kind before binning (default 1,000,000). */
    public Builder exactScoreLimit(long n) {
      this.exactScoreLimit = Args.positive("exactScoreLimit", n);
      return this;
    }

    /**
     * The transform.
     *
     * @throws IllegalStateException when no checkpoint was given
     */
    public AuditTransform build() {
      if (checkpoint == null) {
        throw new IllegalStateException("AuditTransform needs a checkpoint");
      }
      return new AuditTransform(this);
    }
  }

  /**
   * Builds the audit; checks first that the checkpoints can be read.
   *
   * @throws IllegalArgumentException naming the URI when a checkpoint cannot be read, or when the input is not in
   *     the global window
   */
  @Override
  public PCollectionTuple expand(PCollection<TextExample> input) {
    Args.check(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows,
        "AuditTransform needs its input in the global window");
    model.check(input.getPipeline().getOptions());
    if (control != null) {
      control.check(input.getPipeline().getOptions());
    }
    PCollection<ExampleAudit> audits = input
        .apply("Audit", ParDo.of(new AuditFn(config, model, control)))
        .setCoder(JsonCoder.of(ExampleAudit.class));
    boolean memorizedOnly = config.keepOnlyMemorized();
    PCollection<Finding> findings = audits
        .apply("Findings", Filter.by(a -> a.finding() != null && (!memorizedOnly || a.finding().memorized())))
        .apply("Finding", MapElements.into(TypeDescriptor.of(Finding.class)).via(ExampleAudit::finding))
        .setCoder(JsonCoder.of(Finding.class));
    PCollection<AuditSummary> summary = audits
        .apply("Summary", Combine.globally(new AuditSummaryFn(config, control != null, exactScoreLimit)).withoutDefaults())
        .setCoder(JsonCoder.of(AuditSummary.class));
    return PCollectionTuple.of(FINDINGS, findings).and(SUMMARY, summary);
  }

  /** The auditor of {@code config} with {@code control} (or none), as built on a worker. */
  static ConfiguredAuditor auditor(AuditConfig config, LanguageModel control) {
    Auditor.Builder b = Auditor.builder()
        .prefixTokens(config.prefixTokens()).suffixTokens(config.suffixTokens()).threshold(config.threshold())
        .normalization(config.normalization())
        .prefixOffsets(config.prefixOffsets().stream().mapToInt(Integer::intValue).toArray())
        .batchSize(config.batchSize()).threads(config.threads()).prependBos(config.prependBos())
        .keepOnlyMemorized(config.keepOnlyMemorized()).membershipScores(config.membershipScores())
        .minKPercent(config.minKPercent()).membershipKey(config.membershipKey())
        .groupBy(config.groupBy().toArray(String[]::new)).maxGroupsPerKey(config.maxGroupsPerKey())
        .seed(config.seed());
    if (config.redactVisibleChars() >= 0) {
      b.redact(config.redactVisibleChars());
    }
    if (control != null) {
      b.control(control);
    }
    return b.build();
  }
}
