package org.align4j.beam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
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

/**
 * Audits examples in batches of the configured size, buffered within a bundle; the models load once per instance
 * in {@code @Setup}.
 */
final class AuditFn extends BatchingFn<TextExample, ExampleAudit> {

  private static final long serialVersionUID = 1L;
  private final AuditConfig config;
  private final CheckpointLocation model;
  private final CheckpointLocation control;
  private final Counter examples = Metrics.counter(AuditTransform.class, "examplesAudited");
  private final Counter batches = Metrics.counter(AuditTransform.class, "batches");
  private transient LanguageModel lm;
  private transient ConfiguredAuditor auditor;

  AuditFn(AuditConfig config, CheckpointLocation model, CheckpointLocation control) {
    super(config.batchSize());
    this.config = config;
    this.model = model;
    this.control = control;
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

  @Override
  List<ExampleAudit> process(List<TextExample> batch) {
    List<AuditOutcome> outcomes = auditor.auditBatch(lm, batch, 0);
    MessageDigest sha = sha256();
    List<ExampleAudit> out = new ArrayList<>(batch.size());
    for (int i = 0; i < outcomes.size(); i++) {
      TextExample e = batch.get(i);
      sha.update(e.id().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(e.text().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      AuditOutcome o = outcomes.get(i);
      out.add(new ExampleAudit(o.finding(), o.generatedTokens(), HexFormat.of().formatHex(sha.digest())));
    }
    examples.inc(batch.size());
    batches.inc();
    return out;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
