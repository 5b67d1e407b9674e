package org.align4j.memorization;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.LanguageModel;
import org.align4j.core.provenance.LibraryVersion;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.util.Args;
import org.align4j.memorization.report.AuditProvenance;

/**
 * An {@link Auditor} configured by {@link Auditor#builder()}: immutable, and {@code scan} keeps all its state
 * local, so one instance may scan from several threads at once. The data set is streamed: memory holds the batches
 * in flight and what the report keeps.
 */
public final class ConfiguredAuditor {

  private final AuditConfig config;
  private final LanguageModel control;
  private final LanguageModel reference;
  private final ScanListener listener;
  private final long expectedExamples;

  ConfiguredAuditor(Auditor.Builder b) {
    this.config = new AuditConfig(b.prefixTokens, b.suffixTokens, b.threshold, b.normalization,
        b.prefixOffsets, b.batchSize, b.threads, b.prependBos, b.samples, b.temperature, b.redactVisibleChars,
        b.keepOnlyMemorized, b.membershipScores, b.minKPercent, b.membershipKey, b.groupBy, b.maxGroupsPerKey,
        b.seed);
    this.control = b.control;
    this.reference = b.reference != null ? b.reference : b.control;
    this.listener = b.listener;
    this.expectedExamples = b.expectedExamples;
  }

  /** The settings of this auditor. */
  public AuditConfig config() {
    return config;
  }

  /**
   * Scans {@code dataset} for examples that {@code model} memorized.
   *
   * @throws IllegalArgumentException when the data set is empty or none of its examples is long enough to audit,
   *     the prompt and target do not fit a model's context, the membership reference (by default the control) has
   *     a shorter context than the audited model, or a model's tokenizer does not match; every check on the models
   *     runs before the scan
   * @throws CancellationException when the scanning thread is interrupted
   */
  public AuditReport scan(LanguageModel model, Dataset<TextExample> dataset) {
    return scan(model, dataset, new CancellationToken());
  }

  /**
   * Scans {@code dataset}, stopping with a {@link CancellationException} at the next batch once {@code token} is
   * cancelled (or the thread interrupted).
   */
  public AuditReport scan(LanguageModel model, Dataset<TextExample> dataset, CancellationToken token) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(token, "token");
    validate(model);
    BatchAuditor worker = new BatchAuditor(config, model, control, reference, token);
    SummaryAccumulator summary = new SummaryAccumulator(config, control != null);
    List<Finding> findings = new ArrayList<>();
    DataFingerprint.Accumulator fingerprint = DataFingerprint.accumulator("text");
    long start = System.nanoTime();
    long read = 0;
    ExecutorService pool = config.threads() > 1 ? pool(config.threads()) : null;
    ArrayDeque<Future<List<AuditOutcome>>> pending = new ArrayDeque<>();
    try (Stream<TextExample> stream = dataset.stream()) {
      Iterator<TextExample> it = stream.iterator();
      long batchIndex = 0;
      while (true) {
        checkCancelled(token);
        List<TextExample> batch = new ArrayList<>(config.batchSize());
        while (batch.size() < config.batchSize() && it.hasNext()) {
          TextExample example = Objects.requireNonNull(it.next(), "the data set yielded a null example");
          fingerprint.add(example);
          batch.add(example);
        }
        if (batch.isEmpty()) {
          break;
        }
        read += batch.size();
        long index = batchIndex++;
        if (pool == null) {
          consume(worker.process(batch, index), summary, findings, start, read);
        } else {
          pending.add(pool.submit(() -> worker.process(batch, index)));
          while (pending.size() >= 2 * config.threads()) {
            consume(await(pending.poll()), summary, findings, start, read);
          }
        }
      }
      while (!pending.isEmpty()) {
        consume(await(pending.poll()), summary, findings, start, read);
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    if (read == 0) {
      throw new IllegalArgumentException("dataset '" + dataset.name() + "' holds no examples");
    }
    if (summary.scanned() == 0) {
      throw new IllegalArgumentException("none of the " + read + " examples of dataset '" + dataset.name()
          + "' is long enough to audit: each needs at least " + windowTokens() + " tokens (prefixTokens "
          + config.prefixTokens() + " + suffixTokens " + config.suffixTokens()
          + (config.prefixOffsets().get(0) > 0 ? " + first prefix offset " + config.prefixOffsets().get(0) : "")
          + "); lower prefixTokens or suffixTokens");
    }
    progress(summary, start, read, true);
    AuditProvenance provenance = new AuditProvenance(
        Objects.requireNonNull(model.provenance(), "model.provenance()"),
        control == null ? null : control.provenance(), reference == null ? null : reference.provenance(),
        dataset.name(), fingerprint.hex(), config.seed(), LibraryVersion.get(),
        Instant.now().toString());
    return new AuditReport(config, provenance, summary.build(), findings, List.of());
  }

  /**
   * Audits one batch of examples, for runners that distribute a scan (for example align4j-beam's
   * {@code AuditTransform}): one outcome per example, in order, exactly as {@link #scan} computes them for a batch
   * at {@code batchIndex} (the index seeds sampled extraction; greedy audits do not depend on it). Feed the
   * outcomes to {@link SummaryAccumulator}s and merge those.
   *
   * @throws IllegalArgumentException when the prompt and target do not fit the model or a tokenizer differs
   */
  public List<AuditOutcome> auditBatch(LanguageModel model, List<TextExample> batch, long batchIndex) {
    Objects.requireNonNull(model, "model");
    validate(model);
    return new BatchAuditor(config, model, control, reference, new CancellationToken())
        .process(List.copyOf(batch), batchIndex);
  }

  private void validate(LanguageModel model) {
    Tokenizer tokenizer = Objects.requireNonNull(model.tokenizer(), "model.tokenizer()");
    int needed = config.prefixTokens() + config.suffixTokens() + (config.prependBos() ? 1 : 0);
    Args.check(needed <= model.contextLength(),
        "prefixTokens + suffixTokens%s = %s exceeds the model's context length %s",
        config.prependBos() ? " + 1 (BOS)" : "", needed, model.contextLength());
    checkSameTokenizer(tokenizer, control, "control model");
    checkSameTokenizer(tokenizer, reference, "reference model");
    if (control != null && needed > control.contextLength()) {
      throw new IllegalArgumentException("prefixTokens + suffixTokens" + (config.prependBos() ? " + 1 (BOS)" : "")
          + " = " + needed + " exceeds the control model's context length " + control.contextLength());
    }
    if (reference != null && config.membershipScores() && reference.contextLength() < model.contextLength()) {
      String role = reference == control ? "control model" : "reference model";
      throw new IllegalArgumentException("the " + role + (reference == control ? " (the membership-inference "
          + "reference)" : "") + " has a context length of " + reference.contextLength() + ", shorter than the "
          + "audited model's " + model.contextLength() + ": membership scores score each example's first "
          + model.contextLength() + " tokens with both models; use a " + role + " with a context of at least "
          + model.contextLength() + " or turn membership scores off");
    }
  }

  /** The fewest tokens an example needs for its first window. */
  private int windowTokens() {
    return config.prefixOffsets().get(0) + config.prefixTokens() + config.suffixTokens();
  }

  private static void checkSameTokenizer(Tokenizer expected, LanguageModel other, String role) {
    if (other == null) {
      return;
    }
    Tokenizer actual = other.tokenizer();
    if (actual == expected) {
      return;
    }
    boolean same = actual != null && actual.vocabSize() == expected.vocabSize()
        && actual.bosId() == expected.bosId() && actual.eosId() == expected.eosId()
        && actual.padId() == expected.padId() && actual.toJson().equals(expected.toJson());
    if (!same) {
      throw new IllegalArgumentException("the " + role + "'s tokenizer does not match the audited model's"
          + (actual == null ? "" : " (vocabulary " + actual.vocabSize() + " vs " + expected.vocabSize() + ")"));
    }
  }

  private void consume(List<AuditOutcome> outcomes, SummaryAccumulator summary, List<Finding> findings,
      long start, long read) {
    for (AuditOutcome outcome : outcomes) {
      summary.add(outcome);
      Finding f = outcome.finding();
      if (f != null && (!config.keepOnlyMemorized() || f.memorized())) {
        findings.add(f);
      }
    }
    progress(summary, start, read, false);
  }

  private void progress(SummaryAccumulator summary, long start, long read, boolean finished) {
    if (listener == null) {
      return;
    }
    double elapsed = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    long done = summary.scanned() + summary.skipped();
    double rate = done / elapsed;
    double eta = expectedExamples > 0 && rate > 0 ? Math.max(0, expectedExamples - done) / rate : -1;
    listener.onProgress(new ScanProgress(finished ? read : done, summary.scanned(), summary.skipped(),
        summary.memorized(), elapsed, rate, summary.generatedTokens() / elapsed, expectedExamples,
        finished ? 0 : eta, finished));
  }

  private static List<AuditOutcome> await(Future<List<AuditOutcome>> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("audit scan interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("audit batch failed: " + cause, cause);
    }
  }

  private static void checkCancelled(CancellationToken token) {
    if (token.isCancelled()) {
      throw new CancellationException("audit scan cancelled");
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("audit scan interrupted");
    }
  }

  private static ExecutorService pool(int threads) {
    AtomicInteger counter = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "align4j-audit-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
