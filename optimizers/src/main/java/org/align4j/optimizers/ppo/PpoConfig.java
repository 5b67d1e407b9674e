package org.align4j.optimizers.ppo;

import java.util.Objects;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.train.OptimizerSettings;
import org.align4j.core.train.TrainerBuilder;
import org.align4j.core.util.Args;
import org.align4j.optimizers.rl.AdaptiveKlController;
import org.align4j.optimizers.rl.FixedKlController;
import org.align4j.optimizers.rl.GroupAdvantages;
import org.align4j.optimizers.rl.KlController;
import org.align4j.optimizers.rl.KlEstimator;

/**
 * Settings of {@link PpoTrainer}. Build with {@link #builder()}; defaults follow TRL's PPO trainer (PPOv2) where
 * they make sense for any model size: KL coefficient 0.05 (fixed), k1 estimator, clip 0.2, value clip 0.2, value
 * coefficient 0.1, γ 1, λ 0.95, 4 PPO epochs, 1 minibatch, 53 response tokens, temperature 0.7, learning rate
 * 3e-6, gradient-norm clip 1, no missing-EOS penalty, no entropy bonus, no early stop, rewards not whitened, no
 * privacy.
 *
 * <p>With privacy settings ({@link #privacy()} enabled) {@link PpoTrainer} trains by DP-SGD with prompt-level
 * privacy. It then takes its length, sampling, updates and seed from these settings: {@code iterations} sampled
 * batches (DP-SGD steps), Poisson samples of {@code batchSize} prompts expected unless the privacy settings give
 * their own sampling, {@code ppoEpochs} DP-SGD updates on each batch's rollouts, and {@code seed} for sampling,
 * rollouts and noise. The optimizer's learning rate, weight decay and (with privacy only) its warm-up and cosine
 * decay are used; its global gradient-norm clip is replaced by the privacy settings' clip norm on each prompt's
 * gradient. Settings whose meaning reads a statistic of the whole batch without noise are refused with privacy:
 * several minibatches, whitened rewards, GRPO scaled by the batch's standard deviation, an adaptive KL coefficient
 * and early stopping on the approximate KL (a finite {@code targetKl}).
 *
 * @param iterations rollout-and-optimise iterations of {@link PpoTrainer#train} (with privacy: sampled batches,
 *     the DP-SGD steps)
 * @param batchSize prompts per rollout (with privacy: the expected size of a Poisson sample of prompts, unless the
 *     privacy settings give their own sampling)
 * @param samplesPerPrompt completions sampled per prompt (1 for GAE; at least 2 for GRPO and RLOO)
 * @param responseLength the most tokens sampled per completion (fewer when the context ends first)
 * @param temperature sampling temperature; log-probabilities are of the tempered distribution (> 0)
 * @param klController the KL coefficient: fixed, or adaptive (Ziegler et al.)
 * @param klEstimator per-token KL estimator (k1 or k3 as in TRL; k2 also available)
 * @param clipRange the policy ratio clip ε
 * @param valueClipRange the value clip ε_v
 * @param vfCoef weight of the value loss
 * @param gamma GAE discount
 * @param lambda GAE trace decay
 * @param ppoEpochs passes over each rollout (with privacy: DP-SGD updates on each sampled batch, accounted as one
 *     step of noise multiplier {@code sigma / sqrt(ppoEpochs)}; 1 is what the privacy analysis of private PPO
 *     assumes, more is logged as a warning)
 * @param miniBatches minibatches per pass (one optimiser step each; 1 with privacy)
 * @param missingEosPenalty subtracted from the score of a completion that did not end with EOS (0 = none)
 * @param entropyCoef weight of the entropy bonus subtracted from the loss (0 = none; entropy is still logged)
 * @param targetKl stop an iteration's PPO epochs once a minibatch's approximate KL exceeds this
 *     ({@code Double.POSITIVE_INFINITY} = never)
 * @param whitenRewards whiten the token rewards (keeping their mean) before GAE
 * @param advantageEstimator GAE with a value head, or the critic-free GRPO or RLOO
 * @param grpoScaling how GRPO scales centred rewards
 * @param grpoStdEpsilon added to the standard deviation GRPO divides by, positive: TRL's
 *     {@link GroupAdvantages#TRL_STD_EPSILON} (1e-4, the default) or OpenRLHF's
 *     {@link GroupAdvantages#OPENRLHF_STD_EPSILON} (1e-9)
 * @param optimizer AdamW's learning rate (constant without privacy: no warm-up, minimum ratio 1), its decoupled
 *     weight decay (matrices and embeddings only) and the global gradient-norm clip (not used with privacy)
 * @param privacy none, or the DP-SGD settings of a private run over prompts: a target epsilon or a noise
 *     multiplier, delta, the clip norm C of each prompt's gradient, the sampling and the accountant
 * @param seed seed of prompt order, sampling and minibatch order (with privacy: of sampling, rollouts and noise)
 */
public record PpoConfig(
    int iterations, int batchSize, int samplesPerPrompt, int responseLength, double temperature,
    KlController klController, KlEstimator klEstimator, double clipRange, double valueClipRange, double vfCoef,
    double gamma, double lambda, int ppoEpochs, int miniBatches, double missingEosPenalty, double entropyCoef,
    double targetKl, boolean whitenRewards, AdvantageEstimator advantageEstimator,
    GroupAdvantages.Scaling grpoScaling, double grpoStdEpsilon, OptimizerSettings optimizer, PrivacySettings privacy,
    long seed) {

  /** Validates; each message names the setting and its value. */
  public PpoConfig {
    Args.positive("iterations", iterations);
    Args.positive("batchSize", batchSize);
    Args.positive("samplesPerPrompt", samplesPerPrompt);
    Args.positive("responseLength", responseLength);
    Args.finite("temperature", Args.positive("temperature", temperature));
    Objects.requireNonNull(klController, "klController");
    Objects.requireNonNull(klEstimator, "klEstimator");
    Args.inOpen("clipRange", clipRange, 0, 1);
    Args.finite("valueClipRange", Args.positive("valueClipRange", valueClipRange));
    Args.finite("vfCoef", Args.nonNegative("vfCoef", vfCoef));
    Args.inClosed("gamma", gamma, 0, 1);
    Args.inClosed("lambda", lambda, 0, 1);
    Args.positive("ppoEpochs", ppoEpochs);
    Args.positive("miniBatches", miniBatches);
    Args.finite("missingEosPenalty", Args.nonNegative("missingEosPenalty", missingEosPenalty));
    Args.finite("entropyCoef", Args.nonNegative("entropyCoef", entropyCoef));
    Args.positive("targetKl", targetKl);
    Objects.requireNonNull(advantageEstimator, "advantageEstimator");
    Objects.requireNonNull(grpoScaling, "grpoScaling");
    Args.finite("grpoStdEpsilon", Args.positive("grpoStdEpsilon", grpoStdEpsilon));
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(privacy, "privacy");
    if (privacy.enabled()) {
      checkPrivate(miniBatches, whitenRewards, advantageEstimator, grpoScaling, klController, targetKl);
    } else {
      Args.check(optimizer.warmupSteps() == 0,
          "warmupSteps must be 0 for PPO (its learning rate is constant), got %s", optimizer.warmupSteps());
      Args.check(optimizer.minLearningRateRatio() == 1, "minLearningRateRatio must be 1 for PPO (its learning rate "
          + "is constant), got %s", optimizer.minLearningRateRatio());
    }
    if (!advantageEstimator.usesValueHead()) {
      Args.check(samplesPerPrompt >= 2,
          "samplesPerPrompt must be >= 2 for %s (its baseline compares completions of one prompt), got %s",
          advantageEstimator, samplesPerPrompt);
    }
    Args.check(miniBatches <= rolloutSize(batchSize, samplesPerPrompt),
        "miniBatches must be <= the rollout size batchSize * samplesPerPrompt = %s, got %s",
        rolloutSize(batchSize, samplesPerPrompt), miniBatches);
  }

  /** Refuses the settings that read a statistic of the whole batch without noise, which private PPO cannot use. */
  private static void checkPrivate(int miniBatches, boolean whitenRewards, AdvantageEstimator advantageEstimator,
      GroupAdvantages.Scaling grpoScaling, KlController klController, double targetKl) {
    Args.check(miniBatches == 1,
        "miniBatches must be 1 for private PPO (each sampled batch is one DP-SGD update), got %s", miniBatches);
    Args.check(!whitenRewards,
        "whitenRewards must be false for private PPO (whitening couples the rollouts of a batch), got true");
    Args.check(advantageEstimator != AdvantageEstimator.GRPO || grpoScaling != GroupAdvantages.Scaling.BATCH,
        "grpoScaling must be GROUP or NONE for private PPO (BATCH divides by the whole batch's standard deviation), "
            + "got BATCH");
    Args.check(klController instanceof FixedKlController,
        "klController must be fixed for private PPO (an adaptive coefficient follows the sampled prompts' KL without "
            + "noise), got %s", klController);
    Args.check(targetKl == Double.POSITIVE_INFINITY,
        "targetKl must be infinite for private PPO (early stopping reads the batch's KL without noise), got %s",
        targetKl);
  }

  /** A builder with the defaults described on {@link PpoConfig}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder().iterations(iterations).batchSize(batchSize).samplesPerPrompt(samplesPerPrompt)
        .responseLength(responseLength).temperature(temperature).klController(klController)
        .klEstimator(klEstimator).clipRange(clipRange).valueClipRange(valueClipRange).vfCoef(vfCoef).gamma(gamma)
        .lambda(lambda).ppoEpochs(ppoEpochs).miniBatches(miniBatches).missingEosPenalty(missingEosPenalty)
        .entropyCoef(entropyCoef).targetKl(targetKl).whitenRewards(whitenRewards)
        .advantageEstimator(advantageEstimator).grpoScaling(grpoScaling).grpoStdEpsilon(grpoStdEpsilon)
        .optimizer(optimizer).privacy(privacy).seed(seed);
  }

  /** Completions per rollout: {@code batchSize * samplesPerPrompt}. */
  public int rolloutSize() {
    return rolloutSize(batchSize, samplesPerPrompt);
  }

  private static int rolloutSize(int batchSize, int samplesPerPrompt) {
    return Math.multiplyExact(batchSize, samplesPerPrompt);
  }

  /**
   * Builds a {@link PpoConfig} (defaults as described there; batch size 16 prompts per rollout, lr 3e-6 constant,
   * no weight decay, clip 1, no privacy, seed 0). Without privacy the learning rate is constant: the warm-up must
   * be 0 and the minimum ratio 1. With privacy the run trains by DP-SGD with prompt-level privacy.
   */
  public static final class Builder extends TrainerBuilder<Builder> {
    private int iterations = 100;
    private Integer samplesPerPrompt;
    private int responseLength = 53;
    private double temperature = 0.7;
    private KlController klController = new FixedKlController(0.05);
    private KlEstimator klEstimator = KlEstimator.K1;
    private double clipRange = 0.2;
    private double valueClipRange = 0.2;
    private double vfCoef = 0.1;
    private double gamma = 1.0;
    private double lambda = 0.95;
    private int ppoEpochs = 4;
    private int miniBatches = 1;
    private double missingEosPenalty;
    private double entropyCoef;
    private double targetKl = Double.POSITIVE_INFINITY;
    private boolean whitenRewards;
    private AdvantageEstimator advantageEstimator = AdvantageEstimator.GAE;
    private GroupAdvantages.Scaling grpoScaling = GroupAdvantages.Scaling.GROUP;
    private double grpoStdEpsilon = GroupAdvantages.TRL_STD_EPSILON;

    private Builder() {
      super(16, OptimizerSettings.builder().learningRate(3e-6).minLearningRateRatio(1).weightDecay(0).build());
    }

    /** Iterations of {@link PpoTrainer#train} (default 100). */
    public Builder iterations(int v) {
      iterations = v;
      return this;
    }

    /** Completions per prompt (default 1 for GAE, 4 for GRPO and RLOO). */
    public Builder samplesPerPrompt(int v) {
      samplesPerPrompt = v;
      return this;
    }

    /** The most new tokens per completion (default 53). */
    public Builder responseLength(int v) {
      responseLength = v;
      return this;
    }

    /** Sampling temperature (default 0.7). */
    public Builder temperature(double v) {
      temperature = v;
      return this;
    }

    /** A fixed KL coefficient, >= 0 (default 0.05). */
    public Builder klCoef(double coefficient) {
      klController = new FixedKlController(coefficient);
      return this;
    }

    /**
     * The adaptive KL controller of Ziegler et al.: starts at {@code initial} and moves toward the coefficient
     * that keeps the summed per-sequence KL near {@code target} over {@code horizon} samples (TRL v0.11: 0.2, 6,
     * 10000).
     */
    public Builder adaptiveKl(double initial, double target, double horizon) {
      klController = new AdaptiveKlController(initial, target, horizon);
      return this;
    }

    /** Any KL controller (default a fixed 0.05). */
    public Builder klController(KlController v) {
      klController = Objects.requireNonNull(v, "klController");
      return this;
    }

    /** The per-token KL estimator (default k1). */
    public Builder klEstimator(KlEstimator v) {
      klEstimator = Objects.requireNonNull(v, "klEstimator");
      return this;
    }

    /** The policy ratio clip ε in (0, 1) (default 0.2). */
    public Builder clipRange(double v) {
      clipRange = v;
      return this;
    }

    /** The value clip ε_v > 0 (default 0.2). */
    public Builder valueClipRange(double v) {
      valueClipRange = v;
      return this;
    }

    /** Weight of the value loss (default 0.1). */
    public Builder vfCoef(double v) {
      vfCoef = v;
      return this;
    }

    /** GAE discount in [0, 1] (default 1). */
    public Builder gamma(double v) {
      gamma = v;
      return this;
    }

    /** GAE trace decay in [0, 1] (default 0.95). */
    public Builder lambda(double v) {
      lambda = v;
      return this;
    }

    /** Passes over each rollout (default 4). */
    public Builder ppoEpochs(int v) {
      ppoEpochs = v;
      return this;
    }

    /** Minibatches per pass (default 1). */
    public Builder miniBatches(int v) {
      miniBatches = v;
      return this;
    }

    /** Score penalty for a completion without EOS, >= 0 (default 0). */
    public Builder missingEosPenalty(double v) {
      missingEosPenalty = v;
      return this;
    }

    /** Entropy bonus weight, >= 0 (default 0). */
    public Builder entropyCoef(double v) {
      entropyCoef = v;
      return this;
    }

    /** Approximate-KL threshold that ends an iteration's PPO epochs early (default: never). */
    public Builder targetKl(double v) {
      targetKl = v;
      return this;
    }

    /** Whiten the token rewards before GAE (default false). */
    public Builder whitenRewards(boolean v) {
      whitenRewards = v;
      return this;
    }

    /** GAE, GRPO or RLOO (default GAE). */
    public Builder advantageEstimator(AdvantageEstimator v) {
      advantageEstimator = Objects.requireNonNull(v, "advantageEstimator");
      return this;
    }

    /** GRPO's reward scaling (default per group). */
    public Builder grpoScaling(GroupAdvantages.Scaling v) {
      grpoScaling = Objects.requireNonNull(v, "grpoScaling");
      return this;
    }

    /**
     * Added to GRPO's standard deviation before dividing (default TRL's 1e-4; OpenRLHF uses 1e-9, see
     * {@link GroupAdvantages#OPENRLHF_STD_EPSILON}).
     */
    public Builder grpoStdEpsilon(double v) {
      grpoStdEpsilon = v;
      return this;
    }

    /** Validates and builds. */
    public PpoConfig build() {
      int samples = samplesPerPrompt != null ? samplesPerPrompt : advantageEstimator.usesValueHead() ? 1 : 4;
      return new PpoConfig(iterations, batchSize(), samples, responseLength, temperature, klController,
          klEstimator, clipRange, valueClipRange, vfCoef, gamma, lambda, ppoEpochs, miniBatches, missingEosPenalty,
          entropyCoef, targetKl, whitenRewards, advantageEstimator, grpoScaling, grpoStdEpsilon, optimizer(),
          privacy(), seed());
    }
  }
}
