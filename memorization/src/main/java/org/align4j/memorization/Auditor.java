package org.align4j.memorization;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.LanguageModel;
import org.align4j.core.util.Args;
import org.align4j.memorization.distance.Normalization;

/**
 * Audits a language model for memorization of a data set (discoverable memorization, Carlini et al. 2023; the
 * method of Pappu et al. 2024 for RLHF): each example is tokenized, its first {@code prefixTokens} tokens prompt
 * the model, the greedy continuation of {@code suffixTokens} tokens is compared with the example's next tokens by
 * token-level edit distance, and the example is memorized when the normalised distance is at most the threshold.
 *
 * <p>{@link #scan(LanguageModel, Dataset)} uses the defaults; {@link #builder()} configures everything else: a
 * control model (counterfactual memorization: the audited model reproduces the target and the control does not),
 * several prefix offsets, probabilistic extraction by sampling, membership-inference scores, redaction, a
 * keep-only-memorized mode, batching, worker threads, a progress listener and cancellation.
 *
 * <p>Scans keep all their state local: a configured auditor may scan from several threads at once. The data set
 * is streamed: memory holds the batches in flight and what the report keeps.
 */
public final class Auditor {

  private Auditor() {}

  /**
   * Scans {@code dataset} with the default settings (32 prefix tokens, 48 suffix tokens, threshold 0.1 of the
   * target length, BOS prepended, membership scores on).
   *
   * @throws IllegalArgumentException when the data set is empty or none of its examples is long enough to audit,
   *     the prompt and target do not fit the model's context, or the model does not match its tokenizer
   */
  public static AuditReport scan(LanguageModel model, Dataset<TextExample> dataset) {
    return builder().build().scan(model, dataset);
  }

  /** A builder with the default settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures an auditor; every setting has a validated default. */
  public static final class Builder {
    int prefixTokens = 32;
    int suffixTokens = 48;
    double threshold = 0.1;
    Normalization normalization = Normalization.BY_TARGET;
    List<Integer> prefixOffsets = List.of(0);
    int batchSize = 16;
    int threads = 1;
    boolean prependBos = true;
    int samples;
    double temperature = 1.0;
    int redactVisibleChars = -1;
    boolean keepOnlyMemorized;
    boolean membershipScores = true;
    double minKPercent = 20;
    String membershipKey = "member";
    List<String> groupBy = List.of();
    int maxGroupsPerKey = 50;
    long seed;
    LanguageModel control;
    LanguageModel reference;
    ScanListener listener;
    long expectedExamples = -1;

    private Builder() {}

    /** Tokens of each example given as the prompt (default 32). */
    public Builder prefixTokens(int n) {
      this.prefixTokens = Args.positive("prefixTokens", n);
      return this;
    }

    /** Tokens after the prompt that the model should reproduce (default 48). */
    public Builder suffixTokens(int n) {
      this.suffixTokens = Args.positive("suffixTokens", n);
      return this;
    }

    /** Largest normalised distance still counted as memorized, in [0, 1] (default 0.1). */
    public Builder threshold(double t) {
      this.threshold = Args.inClosed("threshold", t, 0, 1);
      return this;
    }

    /** How distances are normalised (default by target length). */
    public Builder normalization(Normalization n) {
      this.normalization = Objects.requireNonNull(n, "normalization");
      return this;
    }

    /** Token offsets at which windows start, strictly increasing (default 0 only). */
    public Builder prefixOffsets(int... offsets) {
      this.prefixOffsets = AuditConfig.checkOffsets(Arrays.stream(offsets).boxed().toList());
      return this;
    }

    /** Examples per batch of prompts (default 16). */
    public Builder batchSize(int n) {
      this.batchSize = Args.positive("batchSize", n);
      return this;
    }

    /** Worker threads over batches (default 1, the calling thread). */
    public Builder threads(int n) {
      this.threads = Args.positive("threads", n);
      return this;
    }

    /** One worker thread per available processor. */
    public Builder allCores() {
      return threads(Runtime.getRuntime().availableProcessors());
    }

    /** Whether prompts and scored sequences start with BOS (default true). */
    public Builder prependBos(boolean bos) {
      this.prependBos = bos;
      return this;
    }

    /**
     * Probabilistic extraction: {@code n} sampled continuations per example at {@code temperature}, reporting the
     * per-sample probability p of reproducing the target within the threshold and {@code 1 - (1 - p)^n}.
     */
    public Builder sampling(int n, double temperature) {
      this.samples = Args.positive("samples", n);
      this.temperature = Args.finite("temperature", Args.positive("temperature", temperature));
      return this;
    }

    /** A control model trained by the same recipe without the audited examples (counterfactual rule). */
    public Builder control(LanguageModel model) {
      this.control = Objects.requireNonNull(model, "control");
      return this;
    }

    /** The reference model of the reference-difference membership score (default: the control model). */
    public Builder referenceModel(LanguageModel model) {
      this.reference = Objects.requireNonNull(model, "referenceModel");
      return this;
    }

    /** Replaces texts in findings by a hash and their first {@code visibleChars} characters. */
    public Builder redact(int visibleChars) {
      this.redactVisibleChars = Args.nonNegative("visibleChars", visibleChars);
      return this;
    }

    /** Keeps only memorized findings (the summary still counts every example), for very large scans. */
    public Builder keepOnlyMemorized(boolean keep) {
      this.keepOnlyMemorized = keep;
      return this;
    }

    /** Whether to compute membership-inference scores (default true). */
    public Builder membershipScores(boolean compute) {
      this.membershipScores = compute;
      return this;
    }

    /** The k of Min-K% probability, in (0, 100] (default 20). */
    public Builder minKPercent(double k) {
      this.minKPercent = Args.inOpenClosed("minKPercent", k, 0, 100);
      return this;
    }

    /** Metadata key whose boolean value marks training members (default {@code "member"}). */
    public Builder membershipKey(String key) {
      this.membershipKey = Objects.requireNonNull(key, "membershipKey");
      return this;
    }

    /** Metadata keys to break rates down by (default: every key). */
    public Builder groupBy(String... keys) {
      this.groupBy = List.of(keys);
      return this;
    }

    /** A key with more distinct values than this is not broken down (default 50). */
    public Builder maxGroupsPerKey(int n) {
      this.maxGroupsPerKey = Args.positive("maxGroupsPerKey", n);
      return this;
    }

    /** Seed of every random choice (default 0). */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Receives progress reports. */
    public Builder listener(ScanListener l) {
      this.listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /** The number of examples expected, for the progress ETA (default unknown). */
    public Builder expectedExamples(long n) {
      this.expectedExamples = Args.positive("expectedExamples", n);
      return this;
    }

    /** The configured auditor. */
    public ConfiguredAuditor build() {
      return new ConfiguredAuditor(this);
    }
  }
}
