package org.align4j.examples.study;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.align4j.core.util.Args;

/**
 * Settings of the private alignment study. Every problem names the command-line option that sets the value.
 *
 * @param seed seed of the corpus, the splits, the canaries, every model and every audit
 * @param data a JSONL text corpus instead of the embedded synthetic code corpus, or null
 * @param splitSize unique examples in each of the four disjoint splits (SFT, reward model, RL prompts, held out)
 * @param maxDuplicates largest duplication count of the embedded corpus
 * @param contextLength context of every model (more than prefix plus suffix tokens)
 * @param dModel model width
 * @param layers transformer layers
 * @param prefixTokens prompt tokens: the audit's prompt, the reward pairs' and RL prompts
 * @param suffixTokens target tokens: the audit's target, the reward pairs' responses, the PPO response length
 * @param epsilons the target epsilons, one private pipeline each; {@code Infinity} is the non-private run with the
 *     same settings otherwise (no noise, the same clipping and sampling)
 * @param delta the delta of every stage's guarantee
 * @param strict refuse (instead of warning about) a delta of at least 1/N for a stage's N records
 * @param nonPrivateStages stages ({@code sft}, {@code reward}, {@code ppo}) trained without privacy in every row
 * @param clipNorm C, the bound on each record's gradient norm, in every stage
 * @param sftEpochs expected passes of DP SFT over its data
 * @param sftBatch expected batch size of DP SFT
 * @param rmEpochs expected passes of the DP reward model over its pairs
 * @param rmBatch expected batch size of the DP reward model
 * @param ppoSteps DP PPO steps (sampled batches of prompts)
 * @param ppoBatch expected prompts per DP PPO step
 * @param klCoef PPO's KL penalty to the SFT model
 * @param learningRate peak learning rate of the SFT and reward stages (PPO uses a tenth of it)
 * @param canaryDigits digits of each canary's secret ({@code |R| = 10^digits})
 * @param threads audit threads
 * @param outputDir where {@code study.html} and {@code study.json} are written
 */
public record DpAlignmentConfig(
    long seed, Path data, int splitSize, int maxDuplicates, int contextLength, int dModel, int layers,
    int prefixTokens, int suffixTokens, List<Double> epsilons, double delta, boolean strict,
    Set<String> nonPrivateStages, double clipNorm, double sftEpochs, int sftBatch, double rmEpochs, int rmBatch,
    int ppoSteps, int ppoBatch, double klCoef, double learningRate, int canaryDigits, int threads,
    Path outputDir) {

  /** The stages of every pipeline, in order. */
  public static final List<String> STAGES = List.of("sft", "reward", "ppo");

  /** The insertion counts of the canaries planted in the SFT data. */
  public static final List<Integer> CANARY_COUNTS = List.of(1, 4, 16);

  /** Validates and copies. */
  public DpAlignmentConfig {
    Args.check(splitSize >= 4, "--split-size must be >= 4, got %s", splitSize);
    Args.check(maxDuplicates >= 1 && maxDuplicates <= 1024, "--max-duplicates must be in [1, 1024], got %s",
        maxDuplicates);
    Args.positive("--d-model", dModel);
    Args.positive("--layers", layers);
    Args.positive("--prefix-tokens", prefixTokens);
    Args.positive("--suffix-tokens", suffixTokens);
    Args.check(contextLength > prefixTokens + suffixTokens,
        "--context must exceed --prefix-tokens + --suffix-tokens (%s) by at least one token (BOS), got %s",
        (prefixTokens + suffixTokens), contextLength);
    epsilons = List.copyOf(Objects.requireNonNull(epsilons, "epsilons"));
    Args.check(!epsilons.isEmpty(), "--epsilons needs at least one value");
    for (double e : epsilons) {
      Args.check(e > 0, "--epsilons values must be > 0 (inf for the non-private run), got %s", e);
    }
    Args.check(epsilons.stream().distinct().count() == epsilons.size(), "--epsilons values must differ, got %s",
        epsilons);
    Args.inOpen("--delta", delta, 0, 1);
    nonPrivateStages = Set.copyOf(Objects.requireNonNull(nonPrivateStages, "nonPrivateStages"));
    for (String s : nonPrivateStages) {
      Args.check(STAGES.contains(s), "--non-private must name sft, reward or ppo, got %s", s);
    }
    Args.finite("--clip-norm", Args.positive("--clip-norm", clipNorm));
    Args.finite("--sft-epochs", Args.positive("--sft-epochs", sftEpochs));
    Args.positive("--sft-batch", sftBatch);
    Args.finite("--rm-epochs", Args.positive("--rm-epochs", rmEpochs));
    Args.positive("--rm-batch", rmBatch);
    Args.positive("--ppo-steps", ppoSteps);
    Args.positive("--ppo-batch", ppoBatch);
    Args.check(klCoef >= 0 && Double.isFinite(klCoef), "--kl-coef must be finite and >= 0, got %s", klCoef);
    Args.finite("--lr", Args.positive("--lr", learningRate));
    Args.check(canaryDigits >= 2 && canaryDigits <= 5, "--canary-digits must be in [2, 5], got %s", canaryDigits);
    Args.positive("--threads", threads);
    Objects.requireNonNull(outputDir, "outputDir");
  }

  /** The settings that decide the results, as written to {@code study.json}. */
  public Map<String, Object> fingerprint() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seed", seed);
    m.put("data", data == null ? "embedded" : data.toAbsolutePath().normalize().toString());
    m.put("split_size", splitSize);
    m.put("max_duplicates", maxDuplicates);
    m.put("context", contextLength);
    m.put("d_model", dModel);
    m.put("layers", layers);
    m.put("prefix_tokens", prefixTokens);
    m.put("suffix_tokens", suffixTokens);
    m.put("epsilons", epsilons.stream().map(DpAlignmentConfig::label).toList());
    m.put("delta", delta);
    m.put("non_private_stages", STAGES.stream().filter(nonPrivateStages::contains).toList());
    m.put("clip_norm", clipNorm);
    m.put("sft_epochs", sftEpochs);
    m.put("sft_batch", sftBatch);
    m.put("rm_epochs", rmEpochs);
    m.put("rm_batch", rmBatch);
    m.put("ppo_steps", ppoSteps);
    m.put("ppo_batch", ppoBatch);
    m.put("kl_coef", klCoef);
    m.put("lr", learningRate);
    m.put("canary_digits", canaryDigits);
    m.put("canary_counts", CANARY_COUNTS);
    return m;
  }

  /** An epsilon as the study prints it: {@code inf} for the non-private run, else the plain number. */
  public static String label(double epsilon) {
    return Double.isInfinite(epsilon) ? "inf"
        : java.math.BigDecimal.valueOf(epsilon).stripTrailingZeros().toPlainString();
  }

  /** A builder with the default (full) study's settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with the {@code --quick} settings: the same protocol, smaller and shorter. */
  public static Builder quick() {
    return new Builder().splitSize(24).maxDuplicates(4).contextLength(40).dModel(32).layers(1).prefixTokens(12)
        .suffixTokens(24).sftEpochs(2).rmEpochs(1).ppoSteps(3).ppoBatch(4).canaryDigits(2);
  }

  /** Builds a {@link DpAlignmentConfig}. */
  public static final class Builder {
    private long seed = 7;
    private Path data;
    private int splitSize = 48;
    private int maxDuplicates = 8;
    private int contextLength = 56;
    private int dModel = 32;
    private int layers = 2;
    private int prefixTokens = 20;
    private int suffixTokens = 24;
    private List<Double> epsilons = List.of(1.0, 2.0, 4.0, 8.0, Double.POSITIVE_INFINITY);
    private double delta = 1e-5;
    private boolean strict;
    private Set<String> nonPrivateStages = Set.of();
    private double clipNorm = 1.0;
    private double sftEpochs = 3;
    private int sftBatch = 16;
    private double rmEpochs = 1;
    private int rmBatch = 16;
    private int ppoSteps = 6;
    private int ppoBatch = 8;
    private double klCoef = 0.1;
    private double learningRate = 1e-2;
    private int canaryDigits = 3;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Path outputDir = Path.of("align4j-out", "study-dp-alignment");

    private Builder() {}

    /** Seed (default 7). */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** A JSONL corpus instead of the embedded one (default none). */
    public Builder data(Path v) {
      data = v;
      return this;
    }

    /** Unique examples per split (default 48; quick 24). */
    public Builder splitSize(int v) {
      splitSize = v;
      return this;
    }

    /** Largest duplication count of the embedded corpus (default 8; quick 4). */
    public Builder maxDuplicates(int v) {
      maxDuplicates = v;
      return this;
    }

    /** Context length (default 56; quick 40). */
    public Builder contextLength(int v) {
      contextLength = v;
      return this;
    }

    /** Model width (default 32, also quick). */
    public Builder dModel(int v) {
      dModel = v;
      return this;
    }

    /** Layers (default 2; quick 1). */
    public Builder layers(int v) {
      layers = v;
      return this;
    }

    /** Prompt tokens (default 20; quick 12). */
    public Builder prefixTokens(int v) {
      prefixTokens = v;
      return this;
    }

    /** Target and response tokens (default 24, also quick). */
    public Builder suffixTokens(int v) {
      suffixTokens = v;
      return this;
    }

    /** Target epsilons (default 1, 2, 4, 8, inf). */
    public Builder epsilons(List<Double> v) {
      epsilons = v;
      return this;
    }

    /** Delta of every stage (default 1e-5). */
    public Builder delta(double v) {
      delta = v;
      return this;
    }

    /** Refuse a delta of at least 1/N (default: warn). */
    public Builder strict(boolean v) {
      strict = v;
      return this;
    }

    /** Stages trained without privacy in every row (default none). */
    public Builder nonPrivateStages(Set<String> v) {
      nonPrivateStages = v;
      return this;
    }

    /** Clip norm C (default 1.0). */
    public Builder clipNorm(double v) {
      clipNorm = v;
      return this;
    }

    /** Expected passes of DP SFT (default 3; quick 2). */
    public Builder sftEpochs(double v) {
      sftEpochs = v;
      return this;
    }

    /** Expected batch size of DP SFT (default 16). */
    public Builder sftBatch(int v) {
      sftBatch = v;
      return this;
    }

    /** Expected passes of the DP reward model (default 1, also quick). */
    public Builder rmEpochs(double v) {
      rmEpochs = v;
      return this;
    }

    /** Expected batch size of the DP reward model (default 16). */
    public Builder rmBatch(int v) {
      rmBatch = v;
      return this;
    }

    /** DP PPO steps (default 6; quick 3). */
    public Builder ppoSteps(int v) {
      ppoSteps = v;
      return this;
    }

    /** Expected prompts per DP PPO step (default 8; quick 4). */
    public Builder ppoBatch(int v) {
      ppoBatch = v;
      return this;
    }

    /** PPO's KL coefficient (default 0.1). */
    public Builder klCoef(double v) {
      klCoef = v;
      return this;
    }

    /** Peak learning rate (default 1e-2). */
    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    /** Digits of each canary's secret (default 3; quick 2). */
    public Builder canaryDigits(int v) {
      canaryDigits = v;
      return this;
    }

    /** Audit threads (default: one per core). */
    public Builder threads(int v) {
      threads = v;
      return this;
    }

    /** Output directory (default {@code align4j-out/study-dp-alignment}). */
    public Builder outputDir(Path v) {
      outputDir = v;
      return this;
    }

    /** Validates and builds. */
    public DpAlignmentConfig build() {
      return new DpAlignmentConfig(seed, data, splitSize, maxDuplicates, contextLength, dModel, layers,
          prefixTokens, suffixTokens, epsilons, delta, strict, nonPrivateStages, clipNorm, sftEpochs, sftBatch,
          rmEpochs, rmBatch, ppoSteps, ppoBatch, klCoef, learningRate, canaryDigits, threads, outputDir);
    }
  }
}
