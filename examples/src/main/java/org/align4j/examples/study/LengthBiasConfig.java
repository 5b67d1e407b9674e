package org.align4j.examples.study;

import java.nio.file.Path;
import java.util.Objects;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.train.SyntheticPreferences;

/**
 * Settings of the length-bias study ({@link LengthBiasStudy}); built by {@link #builder()} (the default run) or
 * {@link #quick()} (the same protocol, smaller). Each setter's error names the command-line option.
 *
 * @param seed seed of every random choice
 * @param outputDir where {@code study.html} and {@code study.json} go
 * @param sftExamples SFT texts (prompt and response)
 * @param rmPairs pairs labelled by the length-biased labeller to train the reward model on
 * @param calibrationPairs held-out pairs whose rewards the calibration is fitted on
 * @param lengthBias the probability that the labeller prefers the longer response instead of the better one
 * @param dModel model width
 * @param layers transformer layers
 * @param sftEpochs SFT passes
 * @param rmEpochs reward-model passes
 * @param responseTokens most tokens of a sampled response
 * @param ppoIterations PPO iterations (rollouts)
 * @param ppoBatch prompts per PPO rollout
 * @param ppoEpochs PPO passes per rollout
 * @param klCoef PPO's KL penalty to the SFT model
 * @param dpoPrompts prompts sampled for the DPO pairs
 * @param dpoSamples responses sampled per prompt, of which the best and worst make a pair
 * @param dpoEpochs DPO passes
 * @param evalPrompts held-out prompts every policy answers for the evaluation
 */
public record LengthBiasConfig(long seed, Path outputDir, int sftExamples, int rmPairs, int calibrationPairs,
    double lengthBias, int dModel, int layers, int sftEpochs, int rmEpochs, int responseTokens, int ppoIterations,
    int ppoBatch, int ppoEpochs, double klCoef, int dpoPrompts, int dpoSamples, int dpoEpochs, int evalPrompts) {

  /** Validates. */
  public LengthBiasConfig {
    Objects.requireNonNull(outputDir, "outputDir");
    Args.positive("--sft-examples", sftExamples);
    Args.check(rmPairs >= 2, "--rm-pairs must be at least 2, got %s", rmPairs);
    Args.check(calibrationPairs >= 4, "--calibration-pairs must be at least 4, got %s", calibrationPairs);
    Args.inClosed("--length-bias", lengthBias, 0, 1);
    Args.check(dModel > 0 && dModel % 4 == 0, "--d-model must be a positive multiple of 4 (4 heads), got %s", dModel);
    Args.positive("--layers", layers);
    Args.positive("--sft-epochs", sftEpochs);
    Args.positive("--rm-epochs", rmEpochs);
    Args.check(responseTokens >= 2, "--response-tokens must be at least 2, got %s", responseTokens);
    Args.positive("--ppo-iterations", ppoIterations);
    Args.positive("--ppo-batch", ppoBatch);
    Args.positive("--ppo-epochs", ppoEpochs);
    Args.nonNegative("--kl-coef", klCoef);
    Args.positive("--dpo-prompts", dpoPrompts);
    Args.check(dpoSamples >= 2, "--dpo-samples must be at least 2, got %s", dpoSamples);
    Args.positive("--dpo-epochs", dpoEpochs);
    Args.check(evalPrompts >= 2, "--eval-prompts must be at least 2, got %s", evalPrompts);
  }

  /**
   * The context length: a prompt of 4 characters, BOS and EOS, and the longest response (sampled, or of the task's
   * pairs), with two tokens to spare.
   */
  public int contextLength() {
    return Math.max(responseTokens, SyntheticPreferences.MAX_BODY + 1) + 8;
  }

  /** The default run. */
  public static Builder builder() {
    return new Builder();
  }

  /** The same protocol, smaller and shorter. */
  public static Builder quick() {
    return new Builder().sftExamples(256).rmPairs(256).calibrationPairs(64).dModel(16).layers(1).sftEpochs(6)
        .rmEpochs(2).responseTokens(20).ppoIterations(6).ppoBatch(8).dpoPrompts(32).dpoEpochs(1).evalPrompts(48);
  }

  /** Builds a {@link LengthBiasConfig}; {@link #build()} validates. */
  public static final class Builder {
    private long seed = 7;
    private Path outputDir = Path.of("align4j-out", "study-length-bias");
    private int sftExamples = 320;
    private int rmPairs = 320;
    private int calibrationPairs = 128;
    private double lengthBias = 0.6;
    private int dModel = 32;
    private int layers = 1;
    private int sftEpochs = 6;
    private int rmEpochs = 3;
    private int responseTokens = 24;
    private int ppoIterations = 12;
    private int ppoBatch = 16;
    private int ppoEpochs = 2;
    private double klCoef = 0.05;
    private int dpoPrompts = 64;
    private int dpoSamples = 4;
    private int dpoEpochs = 2;
    private int evalPrompts = 96;

    private Builder() {}

    /** Seed of every random choice. */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Where the report goes. */
    public Builder outputDir(Path v) {
      outputDir = v;
      return this;
    }

    /** SFT texts. */
    public Builder sftExamples(int v) {
      sftExamples = v;
      return this;
    }

    /** Labelled pairs the reward model trains on. */
    public Builder rmPairs(int v) {
      rmPairs = v;
      return this;
    }

    /** Held-out pairs the calibration is fitted on. */
    public Builder calibrationPairs(int v) {
      calibrationPairs = v;
      return this;
    }

    /** The labeller's probability of preferring the longer response. */
    public Builder lengthBias(double v) {
      lengthBias = v;
      return this;
    }

    /** Model width. */
    public Builder dModel(int v) {
      dModel = v;
      return this;
    }

    /** Transformer layers. */
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

    /** Most tokens of a response. */
    public Builder responseTokens(int v) {
      responseTokens = v;
      return this;
    }

    /** PPO iterations. */
    public Builder ppoIterations(int v) {
      ppoIterations = v;
      return this;
    }

    /** Prompts per PPO rollout. */
    public Builder ppoBatch(int v) {
      ppoBatch = v;
      return this;
    }

    /** PPO passes per rollout. */
    public Builder ppoEpochs(int v) {
      ppoEpochs = v;
      return this;
    }

    /** PPO's KL coefficient. */
    public Builder klCoef(double v) {
      klCoef = v;
      return this;
    }

    /** Prompts sampled for the DPO pairs. */
    public Builder dpoPrompts(int v) {
      dpoPrompts = v;
      return this;
    }

    /** Responses per prompt for the DPO pairs. */
    public Builder dpoSamples(int v) {
      dpoSamples = v;
      return this;
    }

    /** DPO passes. */
    public Builder dpoEpochs(int v) {
      dpoEpochs = v;
      return this;
    }

    /** Held-out evaluation prompts. */
    public Builder evalPrompts(int v) {
      evalPrompts = v;
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException naming the option of the first invalid setting
     */
    public LengthBiasConfig build() {
      return new LengthBiasConfig(seed, outputDir, sftExamples, rmPairs, calibrationPairs, lengthBias, dModel,
          layers, sftEpochs, rmEpochs, responseTokens, ppoIterations, ppoBatch, ppoEpochs, klCoef, dpoPrompts,
          dpoSamples, dpoEpochs, evalPrompts);
    }
  }
}
