package org.align4j.beam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.LanguageModel;
import org.align4j.memorization.AuditConfig;
import org.align4j.memorization.AuditOutcome;
import org.align4j.memorization.ConfiguredAuditor;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Audits one of the scan's batches: the examples at positions {@code [k B, (k + 1) B)}, grouped under batch index
 * k, in position order; the models load once per instance in {@code @Setup}.
 */
final class AuditFn extends DoFn<KV<Long, Iterable<KV<Long, TextExample>>>, ExampleAudit> {

  private static final long serialVersionUID = 1L;
  private final AuditConfig config;
  private final CheckpointLocation model;
  private final CheckpointLocation control;
  private final Counter examples = Metrics.counter(AuditTransform.class, "examplesAudited");
  private final Counter batches = Metrics.counter(AuditTransform.class, "batches");
  private transient LanguageModel lm;
  private transient ConfiguredAuditor auditor;

  AuditFn(AuditConfig config, CheckpointLocation model, CheckpointLocation control) {
    this.config = config;
    this.model = model;
    this.control = control;
  }

  /**
   * The index of the scan's batch that holds the example at position {@code e.getKey()}.
   *
   * @throws IllegalArgumentException when the position is missing or negative
   */
  static long batchOf(KV<Long, TextExample> e, long batchSize) {
    Long position = e.getKey();
    if (position == null || position < 0) {
      throw new IllegalArgumentException("example '" + e.getValue().id() + "' has position " + position
          + "; positions count the examples from 0 in the data set's order");
    }
    return position / batchSize;
  }

  @Setup
  public void setup() {
    lm = model.load(Checkpoints::load);
    auditor = AuditTransform.auditor(config, control == null ? null : control.load(Checkpoints::load));
  }

  @Teardown
  public void teardown() {
    lm = null;
    auditor = null;
  }

  @ProcessElement
  public void processElement(@Element KV<Long, Iterable<KV<Long, TextExample>>> group,
      OutputReceiver<ExampleAudit> out) {
    long index = group.getKey();
    List<KV<Long, TextExample>> members = new ArrayList<>();
    group.getValue().forEach(members::add);
    members.sort(Comparator.comparing(KV::getKey));
    long first = index * config.batchSize();
    List<TextExample> batch = new ArrayList<>(members.size());
    for (int i = 0; i < members.size(); i++) {
      long position = members.get(i).getKey();
      if (position != first + i) {
        throw new IllegalArgumentException("batch " + index + " holds positions " + members.stream()
            .map(KV::getKey).toList() + ", not " + first + ", " + (first + 1) + ", ...: example positions must be "
            + "distinct and count the examples from 0 without gaps");
      }
      batch.add(members.get(i).getValue());
    }
    List<AuditOutcome> outcomes = auditor.auditBatch(lm, batch, index);
    for (int i = 0; i < outcomes.size(); i++) {
      AuditOutcome o = outcomes.get(i);
      out.output(new ExampleAudit(members.get(i).getKey(), o.finding(), o.generatedTokens(), sha256(batch.get(i))));
    }
    examples.inc(batch.size());
    batches.inc();
  }

  /** The example's own SHA-256, over its id, a 0 byte, its text and a 0 byte (UTF-8), in hex. */
  private static String sha256(TextExample e) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
    }
    sha.update(e.id().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(e.text().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    return HexFormat.of().formatHex(sha.digest());
  }
}
