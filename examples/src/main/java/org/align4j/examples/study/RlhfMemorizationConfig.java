package org.align4j.examples.study;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * Settings of the RLHF memorization study. Every problem names the command-line option that sets the value.
 *
 * @param seed seed of the corpus, the splits, every model and every audit
 * @param data a JSONL text corpus ({@code {"id", "text"}}, optional integer {@code duplicates}) instead of the
 *     embedded synthetic code corpus, or null
 * @param splitSize unique examples in each of the five disjoint splits (SFT, control, reward model, RL, held out)
 * @param maxDuplicates largest duplication count of the embedded corpus (each example is seen 1 to this many times
 *     in every stage that trains on it)
 * @param piiFraction fraction of the embedded corpus's examples carrying a PII-like string
 * @param contextLength context of every model (more than prefix plus suffix tokens)
 * @param dModel model width
 * @param layers transformer layers
 * @param prefixTokens prompt tokens: the audit's prompt, the reward pairs' and RL prompts
 * @param suffixTokens target tokens: the audit's target, the reward pairs' responses, the PPO response length
 * @param sftEpochs epochs of the SFT, control and direct fine-tuning runs
 * @param learningRate peak learning rate of those runs
 * @param rmEpochs epochs of reward-model training
 * @param klCoefs the PPO KL coefficients, one PPO model each
 * @param ppoIterations PPO iterations per model
 * @param ppoBatchSize prompts per PPO iteration
 * @param ppoEpochs PPO passes over each rollout
 * @param ipoEpochs epochs of IPO
 * @param ipoBeta IPO's beta
 * @param threads worker threads of the audits
 * @param outputDir where checkpoints and the reports are written
 * @param resume whether stages whose checkpoints exist under {@code outputDir} are loaded instead of retrained
 */
public record RlhfMemorizationConfig(
    long seed, Path data, int splitSize, int maxDuplicates, double piiFraction, int contextLength, int dModel,
    int layers, int prefixTokens, int suffixTokens, int sftEpochs, double learningRate, int rmEpochs,
    List<Double> klCoefs, int ppoIterations, int ppoBatchSize, int ppoEpochs, int ipoEpochs, double ipoBeta,
    int threads, Path outputDir, boolean resume) {

  /** Validates and copies. */
  public RlhfMemorizationConfig {
    Args.check(splitSize >= 4, "--split-size must be >= 4, got %s", splitSize);
    Args.check(maxDuplicates >= 1 && maxDuplicates <= 1024, "--max-duplicates must be in [1, 1024], got %s",
        maxDuplicates);
    Args.inClosed("--pii-fraction", piiFraction, 0, 1);
    Args.positive("--d-model", dModel);
    Args.positive("--layers", layers);
    Args.positive("--prefix-tokens", prefixTokens);
    Args.positive("--suffix-tokens", suffixTokens);
    Args.check(contextLength > prefixTokens + suffixTokens,
        "--context must exceed --prefix-tokens + --suffix-tokens (%s) by at least one token (BOS), got %s",
        (prefixTokens + suffixTokens), contextLength);
    Args.positive("--sft-epochs", sftEpochs);
    Args.finite("--lr", Args.positive("--lr", learningRate));
    Args.positive("--rm-epochs", rmEpochs);
    klCoefs = List.copyOf(Objects.requireNonNull(klCoefs, "klCoefs"));
    Args.check(!klCoefs.isEmpty(), "--kl-coef needs at least one value");
    for (double k : klCoefs) {
      Args.check(k >= 0 && Double.isFinite(k), "--kl-coef values must be finite and >= 0, got %s", k);
    }
    Args.check(klCoefs.stream().distinct().count() == klCoefs.size(), "--kl-coef values must differ, got %s", klCoefs);
    Args.positive("--ppo-iterations", ppoIterations);
    Args.positive("--ppo-batch-size", ppoBatchSize);
    Args.positive("--ppo-epochs", ppoEpochs);
    Args.positive("--ipo-epochs", ipoEpochs);
    Args.finite("--ipo-beta", Args.positive("--ipo-beta", ipoBeta));
    Args.positive("--threads", threads);
    Objects.requireNonNull(outputDir, "outputDir");
  }

  /** The settings that decide the models, for checking that checkpoints to resume from match. */
  public Map<String, Object> fingerprint() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seed", seed);
    m.put("data", data == null ? "embedded" : data.toAbsolutePath().normalize().toString());
    m.put("split_size", splitSize);
    m.put("max_duplicates", maxDuplicates);
    m.put("pii_fraction", piiFraction);
    m.put("context", contextLength);
    m.put("d_model", dModel);
    m.put("layers", layers);
    m.put("prefix_tokens", prefixTokens);
    m.put("suffix_tokens", suffixTokens);
    m.put("sft_epochs", sftEpochs);
    m.put("lr", learningRate);
    m.put("rm_epochs", rmEpochs);
    m.put("kl_coefs", klCoefs);
    m.put("ppo_iterations", ppoIterations);
    m.put("ppo_batch_size", ppoBatchSize);
    m.put("ppo_epochs", ppoEpochs);
    m.put("ipo_epochs", ipoEpochs);
    m.put("ipo_beta", ipoBeta);
    return m;
  }

  /** A builder with the default (full) study's settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with the {@code --quick} settings: the same protocol, smaller and shorter. */
  public static Builder quick() {
    return new Builder().splitSize(16).maxDuplicates(8).contextLength(48).dModel(48).prefixTokens(16)
        .suffixTokens(24).sftEpochs(16).rmEpochs(1).ppoIterations(4).ppoBatchSize(8).ppoEpochs(2).ipoEpochs(2);
  }

  /** Builds a {@link RlhfMemorizationConfig}. */
  public static final class Builder {
    private long seed = 7;
    private Path data;
    private int splitSize = 48;
    private int maxDuplicates = 16;
    private double piiFraction = 0.25;
    private int contextLength = 64;
    private int dModel = 64;
    private int layers = 2;
    private int prefixTokens = 24;
    private int suffixTokens = 32;
    private int sftEpochs = 16;
    private double learningRate = 1e-2;
    private int rmEpochs = 2;
    private List<Double> klCoefs = List.of(0.01, 0.1, 1.0);
    private int ppoIterations = 12;
    private int ppoBatchSize = 16;
    private int ppoEpochs = 2;
    private int ipoEpochs = 3;
    private double ipoBeta = 0.1;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Path outputDir = Path.of("align4j-out", "study-rlhf-memorization");
    private boolean resume;

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

    /** Unique examples per split (default 48; quick 16). */
    public Builder splitSize(int v) {
      splitSize = v;
      return this;
    }

    /** Largest duplication count of the embedded corpus (default 16; quick 8). */
    public Builder maxDuplicates(int v) {
      maxDuplicates = v;
      return this;
    }

    /** Fraction of embedded examples with PII (default 0.25). */
    public Builder piiFraction(double v) {
      piiFraction = v;
      return this;
    }

    /** Context length (default 64; quick 48). */
    public Builder contextLength(int v) {
      contextLength = v;
      return this;
    }

    /** Model width (default 64; quick 48). */
    public Builder dModel(int v) {
      dModel = v;
      return this;
    }

    /** Layers (default 2). */
    public Builder layers(int v) {
      layers = v;
      return this;
    }

    /** Prompt tokens (default 24; quick 16). */
    public Builder prefixTokens(int v) {
      prefixTokens = v;
      return this;
    }

    /** Target tokens (default 32; quick 24). */
    public Builder suffixTokens(int v) {
      suffixTokens = v;
      return this;
    }

    /** Epochs of SFT, control and direct fine-tuning (default 16, also quick). */
    public Builder sftEpochs(int v) {
      sftEpochs = v;
      return this;
    }

    /** Their peak learning rate (default 1e-2). */
    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    /** Reward-model epochs (default 2; quick 1). */
    public Builder rmEpochs(int v) {
      rmEpochs = v;
      return this;
    }

    /** PPO KL coefficients (default 0.01, 0.1, 1). */
    public Builder klCoefs(List<Double> v) {
      klCoefs = v;
      return this;
    }

    /** PPO iterations (default 12; quick 4). */
    public Builder ppoIterations(int v) {
      ppoIterations = v;
      return this;
    }

    /** Prompts per PPO iteration (default 16; quick 8). */
    public Builder ppoBatchSize(int v) {
      ppoBatchSize = v;
      return this;
    }

    /** PPO passes over each rollout (default 2). */
    public Builder ppoEpochs(int v) {
      ppoEpochs = v;
      return this;
    }

    /** IPO epochs (default 3; quick 2). */
    public Builder ipoEpochs(int v) {
      ipoEpochs = v;
      return this;
    }

    /** IPO beta (default 0.1). */
    public Builder ipoBeta(double v) {
      ipoBeta = v;
      return this;
    }

    /** Audit threads (default: one per core). */
    public Builder threads(int v) {
      threads = v;
      return this;
    }

    /** Output directory (default {@code align4j-out/study-rlhf-memorization}). */
    public Builder outputDir(Path v) {
      outputDir = v;
      return this;
    }

    /** Load finished stages' checkpoints from the output directory (default false). */
    public Builder resume(boolean v) {
      resume = v;
      return this;
    }

    /** Validates and builds. */
    public RlhfMemorizationConfig build() {
      return new RlhfMemorizationConfig(seed, data, splitSize, maxDuplicates, piiFraction, contextLength, dModel,
          layers, prefixTokens, suffixTokens, sftEpochs, learningRate, rmEpochs, klCoefs, ppoIterations,
          ppoBatchSize, ppoEpochs, ipoEpochs, ipoBeta, threads, outputDir, resume);
    }
  }
}
