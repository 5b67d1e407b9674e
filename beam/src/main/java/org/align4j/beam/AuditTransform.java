package org.align4j.beam;

import java.util.Objects;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.LanguageModel;
import org.align4j.core.util.Args;
import org.align4j.memorization.AuditConfig;
import org.align4j.memorization.Auditor;
import org.align4j.memorization.ConfiguredAuditor;
import org.align4j.memorization.Finding;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A memorization audit as a Beam transform: the findings and the summary that {@code Auditor.scan} gives on the
 * same examples, bit for bit, computed on any runner with any number of workers.
 *
 * <pre>{@code
 * PCollectionTuple out = p.apply(JsonlInput.of(List.of("gs://bucket/corpus/*.jsonl")))
 *     .get(JsonlInput.EXAMPLES)
 *     .apply(AuditTransform.builder()
 *         .checkpoint("gs://bucket/model.zip")
 *         .config(Auditor.builder().prefixTokens(32).suffixTokens(48).build().config())
 *         .build());
 * PCollection<Finding> findings = out.get(AuditTransform.FINDINGS);
 * PCollection<AuditSummary> summary = out.get(AuditTransform.SUMMARY); // one element
 * }</pre>
 *
 * <p>The input holds each example keyed by its position in the data set (0, 1, 2, ... in the order
 * {@code Auditor.scan} would read them, as {@link JsonlInput} numbers them). The transform forms exactly the scan's
 * batches: positions {@code [k B, (k + 1) B)} (B the configured batch size) are grouped ({@code GroupByKey}) and
 * audited together as batch k, through {@code ConfiguredAuditor.auditBatch}, the code the scan runs per batch. This
 * matters because a batched forward pass is not row-independent in floating point: BLAS rounds a row of a product
 * differently with the rows around it (measured with OpenBLAS on one thread: about half the rows of a 640-row
 * product differ in their last bits from the same rows computed alone), so membership scores, and in rare near-ties
 * a greedy token, would depend on which examples share a batch. With the scan's batches, findings (scores
 * included) equal the scan's bit for bit on the same machine, and so does sampled extraction, whose seeds follow
 * the batch index. Positions must be distinct and dense; a batch with a repeated position, or a gap before its last
 * member, fails (a batch missing only its last positions looks like the data set's end and is audited as it is).
 *
 * <p>Each {@code DoFn} instance loads the model (and the control model) once, in {@code @Setup}, from a local path
 * or a file-system URI ({@link #builder()} explains which). The summary is a {@code Combine} over
 * {@code SummaryAccumulator}, whose merge is exact: given the same outcomes, counts, Wilson intervals, groups, the
 * histogram and the membership evaluations equal a single pass's whatever the bundling. Membership scores are kept
 * exactly while a score kind has at most {@code exactScoreLimit} of them (default 1,000,000: 8 MB per kind in the
 * accumulator); beyond, they are binned to 10 mantissa bits (relative width 2<sup>-10</sup>) and
 * {@link AuditSummary#aucErrorBounds()} states the bound on each AUC's error, Σ m<sub>b</sub> n<sub>b</sub> / (2 P
 * N) over bins b holding m<sub>b</sub> members and n<sub>b</sub> non-members.
 *
 * <p>The input must be in the global window (a bounded collection, as read from files).
 */
public final class AuditTransform extends PTransform<PCollection<KV<Long, TextExample>>, PCollectionTuple> {

  private static final long serialVersionUID = 1L;

  /** The findings: one per audited example (only memorized ones in keep-only-memorized mode), in no order. */
  public static final TupleTag<Finding> FINDINGS = new TupleTag<>("findings") {};
  /** The same findings keyed by their example's position (to put them in data order). */
  public static final TupleTag<KV<Long, Finding>> POSITIONED_FINDINGS = new TupleTag<>("positionedFindings") {};
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

    /** The audit's settings, from {@code Auditor.builder()...build().config()}. */
    public Builder config(AuditConfig c) {
      this.config = Objects.requireNonNull(c, "config");
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
  public PCollectionTuple expand(PCollection<KV<Long, TextExample>> input) {
    Args.check(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows,
        "AuditTransform needs its input in the global window");
    model.check(input.getPipeline().getOptions());
    if (control != null) {
      control.check(input.getPipeline().getOptions());
    }
    long batchSize = config.batchSize();
    PCollection<ExampleAudit> audits = input
        .apply("Batch index", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(),
            TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptor.of(TextExample.class))))
            .via((KV<Long, TextExample> e) -> KV.of(AuditFn.batchOf(e, batchSize), e)))
        .setCoder(KvCoder.of(VarLongCoder.of(), input.getCoder()))
        .apply("Batches", GroupByKey.create())
        .apply("Audit", ParDo.of(new AuditFn(config, model, control)))
        .setCoder(JsonCoder.of(ExampleAudit.class));
    boolean memorizedOnly = config.keepOnlyMemorized();
    PCollection<ExampleAudit> kept = audits
        .apply("Findings", Filter.by(a -> a.finding() != null && (!memorizedOnly || a.finding().memorized())));
    PCollection<Finding> findings = kept
        .apply("Finding", MapElements.into(TypeDescriptor.of(Finding.class)).via(ExampleAudit::finding))
        .setCoder(JsonCoder.of(Finding.class));
    PCollection<KV<Long, Finding>> positioned = kept
        .apply("Positioned", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(),
            TypeDescriptor.of(Finding.class))).via((ExampleAudit a) -> KV.of(a.position(), a.finding())))
        .setCoder(KvCoder.of(VarLongCoder.of(), JsonCoder.of(Finding.class)));
    PCollection<AuditSummary> summary = audits
        .apply("Summary", Combine.globally(new AuditSummaryFn(config, control != null, exactScoreLimit))
            .withoutDefaults())
        .setCoder(JsonCoder.of(AuditSummary.class));
    return PCollectionTuple.of(FINDINGS, findings).and(POSITIONED_FINDINGS, positioned).and(SUMMARY, summary);
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
    if (config.samples() > 0) {
      b.sampling(config.samples(), config.temperature());
    }
    if (config.redactVisibleChars() >= 0) {
      b.redact(config.redactVisibleChars());
    }
    if (control != null) {
      b.control(control);
    }
    return b.build();
  }
}
