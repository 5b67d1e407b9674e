package org.align4j.examples.study;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * Settings of the reward over-optimisation study. Every problem names the command-line option that sets the value.
 *
 * @param seed seed of the corpus, the models, the samples and PPO
 * @param pairCounts gold-labelled pairs of each proxy reward model, one proxy per count (increasing)
 * @param ensembleSize proxies in the ensemble (trained on {@code ensemblePairs} pairs with different seeds)
 * @param ensemblePairs pairs of each ensemble member: one of {@code pairCounts}, whose proxy is member 0
 * @param ensembleK k of the ensemble's mean minus k standard deviations
 * @param bestOfN the n of best-of-n (increasing, starting at 1 or above)
 * @param sftExamples examples the SFT policy trains on (as many again fit the gold reward)
 * @param promptTokens prompt tokens (the start of a held-out code example)
 * @param responseTokens the most tokens of a response
 * @param dModel width of every model
 * @param layers layers of every model
 * @param sftEpochs passes of SFT
 * @param rmEpochs passes of each proxy reward model over its pairs
 * @param ppoIterations PPO iterations against each reward
 * @param ppoBatch prompts per PPO iteration
 * @param evalEvery PPO iterations between measurements of proxy, gold and KL
 * @param evalPrompts held-out prompts of every measurement (and of best-of-n)
 * @param klCoef PPO's KL penalty to the SFT policy
 * @param learningRate peak learning rate of SFT and the reward models
 * @param ppoLearningRate PPO's learning rate
 * @param outputDir where {@code study.html} and {@code study.json} are written
 */
public record OveroptimizationConfig(
    long seed, List<Integer> pairCounts, int ensembleSize, int ensemblePairs, double ensembleK,
    List<Integer> bestOfN, int sftExamples, int promptTokens, int responseTokens, int dModel, int layers,
    int sftEpochs, int rmEpochs, int ppoIterations, int ppoBatch, int evalEvery, int evalPrompts, double klCoef,
    double learningRate, double ppoLearningRate, Path outputDir) {

  /** Validates and copies. */
  public OveroptimizationConfig {
    pairCounts = List.copyOf(Objects.requireNonNull(pairCounts, "pairCounts"));
    Args.check(!pairCounts.isEmpty(), "--pair-counts needs at least one value");
    increasing("--pair-counts", pairCounts, 4);
    Args.check(ensembleSize >= 2, "--ensemble-size must be >= 2, got %s", ensembleSize);
    Args.check(pairCounts.contains(ensemblePairs), "--ensemble-pairs must be one of --pair-counts %s, got %s",
        pairCounts, ensemblePairs);
    Args.check(Double.isFinite(ensembleK) && ensembleK >= 0, "--ensemble-k must be >= 0, got %s", ensembleK);
    bestOfN = List.copyOf(Objects.requireNonNull(bestOfN, "bestOfN"));
    Args.check(!bestOfN.isEmpty(), "--best-of-n needs at least one value");
    increasing("--best-of-n", bestOfN, 1);
    Args.check(sftExamples >= 8, "--sft-examples must be >= 8, got %s", sftExamples);
    Args.check(promptTokens >= 1, "--prompt-tokens must be >= 1, got %s", promptTokens);
    Args.check(responseTokens >= 2, "--response-tokens must be >= 2, got %s", responseTokens);
    Args.check(dModel >= 4 && dModel % 4 == 0, "--d-model must be a positive multiple of 4, got %s", dModel);
    Args.check(layers >= 1, "--layers must be >= 1, got %s", layers);
    Args.check(sftEpochs >= 1, "--sft-epochs must be >= 1, got %s", sftEpochs);
    Args.check(rmEpochs >= 1, "--rm-epochs must be >= 1, got %s", rmEpochs);
    Args.check(ppoIterations >= 1, "--ppo-iterations must be >= 1, got %s", ppoIterations);
    Args.check(ppoBatch >= 1, "--ppo-batch must be >= 1, got %s", ppoBatch);
    Args.check(evalEvery >= 1, "--eval-every must be >= 1, got %s", evalEvery);
    Args.check(evalPrompts >= 2, "--eval-prompts must be >= 2, got %s", evalPrompts);
    Args.check(Double.isFinite(klCoef) && klCoef >= 0, "--kl-coef must be >= 0, got %s", klCoef);
    Args.check(Double.isFinite(learningRate) && learningRate > 0, "--lr must be > 0, got %s", learningRate);
    Args.check(Double.isFinite(ppoLearningRate) && ppoLearningRate > 0, "--ppo-lr must be > 0, got %s",
        ppoLearningRate);
    Objects.requireNonNull(outputDir, "outputDir");
  }

  /** The default study (see the README for its measured time). */
  public static Builder builder() {
    return new Builder();
  }

  /** The same protocol, smaller (the {@code --quick} setting). */
  public static Builder quick() {
    return new Builder().pairCounts(List.of(32, 128)).ensemblePairs(32).bestOfN(List.of(1, 2, 4, 8, 16))
        .sftExamples(128).sftEpochs(6).ppoIterations(9).evalPrompts(12);
  }

  /** Context of every model: BOS, prompt, response and the reward model's EOS. */
  public int contextLength() {
    return promptTokens + responseTokens + 2;
  }

  /** The largest pair count. */
  public int maxPairs() {
    return pairCounts.get(pairCounts.size() - 1);
  }

  /** The largest n of best-of-n. */
  public int maxN() {
    return bestOfN.get(bestOfN.size() - 1);
  }

  private static void increasing(String option, List<Integer> values, int min) {
    for (int i = 0; i < values.size(); i++) {
      int v = Objects.requireNonNull(values.get(i), option);
      Args.check(v >= min, "%s values must be >= %s, got %s", option, min, v);
      Args.check(i == 0 || v > values.get(i - 1), "%s must be strictly increasing, got %s", option, values);
    }
  }

  /** Builds an {@link OveroptimizationConfig}; {@link #build} validates. */
  public static final class Builder {
    private long seed = 7;
    private List<Integer> pairCounts = List.of(32, 128, 512);
    private int ensembleSize = 3;
    private Integer ensemblePairs;
    private double ensembleK = 1.0;
    private List<Integer> bestOfN = List.of(1, 2, 4, 8, 16, 32);
    private int sftExamples = 256;
    private int promptTokens = 16;
    private int responseTokens = 16;
    private int dModel = 32;
    private int layers = 1;
    private int sftEpochs = 10;
    private int rmEpochs = 4;
    private int ppoIterations = 24;
    private int ppoBatch = 8;
    private int evalEvery = 3;
    private int evalPrompts = 24;
    private double klCoef = 0.0;
    private double learningRate = 3e-3;
    private double ppoLearningRate = 1e-3;
    private Path outputDir = Path.of("align4j-out", "study-overoptimization");

    private Builder() {}

    /** Seed of everything. */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Pair counts of the proxies (increasing). */
    public Builder pairCounts(List<Integer> v) {
      pairCounts = v;
      return this;
    }

    /** Members of the ensemble. */
    public Builder ensembleSize(int v) {
      ensembleSize = v;
      return this;
    }

    /** Pairs of each ensemble member (one of the pair counts; default the smallest). */
    public Builder ensemblePairs(int v) {
      ensemblePairs = v;
      return this;
    }

    /** k of mean minus k standard deviations. */
    public Builder ensembleK(double v) {
      ensembleK = v;
      return this;
    }

    /** The n of best-of-n (increasing). */
    public Builder bestOfN(List<Integer> v) {
      bestOfN = v;
      return this;
    }

    /** SFT examples. */
    public Builder sftExamples(int v) {
      sftExamples = v;
      return this;
    }

    /** Prompt tokens. */
    public Builder promptTokens(int v) {
      promptTokens = v;
      return this;
    }

    /** Response tokens. */
    public Builder responseTokens(int v) {
      responseTokens = v;
      return this;
    }

    /** Model width. */
    public Builder dModel(int v) {
      dModel = v;
      return this;
    }

    /** Model layers. */
    public Builder layers(int v) {
      layers = v;
      return this;
    }

    /** SFT passes. */
    public Builder sftEpochs(int v) {
      sftEpochs = v;
      return this;
    }

    /** Reward-model passes. */
    public Builder rmEpochs(int v) {
      rmEpochs = v;
      return this;
    }

    /** PPO iterations. */
    public Builder ppoIterations(int v) {
      ppoIterations = v;
      return this;
    }

    /** Prompts per PPO iteration. */
    public Builder ppoBatch(int v) {
      ppoBatch = v;
      return this;
    }

    /** Iterations between measurements. */
    public Builder evalEvery(int v) {
      evalEvery = v;
      return this;
    }

    /** Held-out prompts. */
    public Builder evalPrompts(int v) {
      evalPrompts = v;
      return this;
    }

    /** PPO's KL coefficient. */
    public Builder klCoef(double v) {
      klCoef = v;
      return this;
    }

    /** SFT and reward-model learning rate. */
    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    /** PPO learning rate. */
    public Builder ppoLearningRate(double v) {
      ppoLearningRate = v;
      return this;
    }

    /** Output directory. */
    public Builder outputDir(Path v) {
      outputDir = v;
      return this;
    }

    /** Validates and builds. */
    public OveroptimizationConfig build() {
      Objects.requireNonNull(pairCounts, "pairCounts");
      int members = ensemblePairs != null ? ensemblePairs : pairCounts.isEmpty() ? 0 : pairCounts.get(0);
      return new OveroptimizationConfig(seed, pairCounts, ensembleSize, members, ensembleK, bestOfN, sftExamples,
          promptTokens, responseTokens, dModel, layers, sftEpochs, rmEpochs, ppoIterations, ppoBatch, evalEvery,
          evalPrompts, klCoef, learningRate, ppoLearningRate, outputDir);
    }
  }
}
