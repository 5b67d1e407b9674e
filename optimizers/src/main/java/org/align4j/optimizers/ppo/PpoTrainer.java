package org.align4j.optimizers.ppo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.dp.DpRun;
import org.align4j.core.dp.DpSgdConfig;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.train.ShuffledBatches;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.util.Args;
import org.align4j.optimizers.rl.SamplingLogProbs;
import org.align4j.rewardmodel.RewardModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reinforcement learning from a reward model with PPO, in the manner of TRL's PPO trainer and OpenRLHF. Each
 * iteration takes {@code batchSize} prompts (a seeded shuffle, cycled), samples {@code samplesPerPrompt}
 * completions of each from the policy at the configured temperature, scores them with the {@link RewardModel},
 * penalises each token by its KL to a frozen reference (k1 or k3, a fixed or adaptive coefficient), adds the
 * score (less a penalty when EOS is missing) on the last response token, computes advantages (GAE over a value
 * head on the policy's trunk, whitened; or GRPO's or RLOO's group baselines without a value head), and runs
 * {@code ppoEpochs} passes of minibatch AdamW steps on the clipped policy loss plus {@code vfCoef} times the
 * clipped value loss, minus an optional entropy bonus, stopping early when the approximate KL passes the target.
 * The KL controller is updated after every iteration. The objective is {@link PolicyRolloutLoss}, written once
 * for plain and private training: the plain step minimises its token mean over each minibatch of completions
 * (on the hand-written passes when the model's architecture has them) and trains the value head's weight and
 * bias.
 *
 * <p>Log-probabilities are those of the sampling distribution (logits divided by the temperature, BOS and PAD
 * excluded as the sampler excludes them). The policy's weights are updated in place; the same seed gives the same
 * run. For control over single stages (one epoch per rollout, say) use {@link #session}.
 *
 * <p>With privacy settings ({@link PpoConfig#privacy()}) the policy is trained by DP-SGD with prompt-level
 * privacy, as in Wu et al. 2023 ("Privately Aligning Language Models with Reinforcement Learning"), the privacy
 * unit being one entry of the training prompts ({@link DpRun} with {@link PolicyRolloutLoss}). Each of the
 * {@code iterations} steps Poisson-samples prompts at rate q ({@code batchSize} expected unless the privacy
 * settings give their own sampling); the current policy samples {@code samplesPerPrompt} completions of each; the
 * reward model scores them; every token is penalised by its KL to the frozen reference (a fixed coefficient) and
 * the score is added on the last token; advantages are computed; then {@code ppoEpochs} DP-SGD updates on the
 * clipped PPO loss: each prompt's gradient (all its completions together) is clipped to C, Gaussian noise of
 * standard deviation {@code sigma * C} is added to the sum, which is divided by {@code q * N}, and AdamW updates
 * the policy under the optimizer's schedule. An empty sample is an update of noise alone. An accountant records
 * every step and {@link PpoResult#privacy()} reports epsilon at the configured delta.
 *
 * <pre>{@code
 * PrivacySettings privacy = PrivacySettings.builder().targetEpsilon(4).build();
 * PpoConfig config = PpoConfig.builder().advantageEstimator(AdvantageEstimator.RLOO).samplesPerPrompt(4)
 *     .responseLength(48).klCoef(0.05).iterations(200).batchSize(64).ppoEpochs(1).learningRate(1e-4)
 *     .privacy(privacy).build();
 * PpoResult r = new PpoTrainer(config, rewardModel).train(policy, prompts);
 * }</pre>
 *
 * <p>Rollouts, scores, KL, token rewards and advantages come from the session
 * ({@link PpoSession#perPromptRollout}), kept per prompt so that no prompt's loss depends on another's, as
 * per-example clipping requires:
 * <ul>
 *   <li>Advantages are computed per rollout only: no whitening or normalisation across the batch (the
 *       non-private run whitens GAE advantages over the batch, which would let every prompt move every other's
 *       advantages). GRPO (scaled per group or not at all) and RLOO compare only the completions of one prompt,
 *       which are one example, so their baselines stay inside it; GRPO scaled by the batch is refused. Without
 *       whitening the advantages keep the scale of the rewards: the learning rate should suit it.
 *   <li>The value function. With GAE the value head ({@link PpoSession#VALUE_WEIGHT} on the policy's final hidden
 *       states) is trained privately: the value loss ({@code vfCoef} times the clipped value loss) is part of the
 *       same per-prompt loss, so the head's gradient is clipped and noised together with the policy's, and the
 *       values GAE reads at the next rollout are a function of private outputs only. The value bias is not trained
 *       and stays 0 (the final layer norm's shift already gives the head a learned constant). GRPO and RLOO need
 *       no value function.
 *   <li>Epochs: one update per sampled batch ({@code ppoEpochs} = 1) is what the analysis assumes. k updates on
 *       one batch are allowed with a logged warning and accounted exactly: the k noisy gradients of one sample
 *       compose to one Gaussian mechanism of noise multiplier {@code sigma / sqrt(k)} before subsampling, so each
 *       batch is recorded as one step of {@code sigma / sqrt(k)} at q (counting k steps of sigma would understate
 *       epsilon, since amplification by subsampling applies once to all k). With a target epsilon, sigma is
 *       calibrated to that.
 *   <li>The KL coefficient is fixed (an adaptive one would follow the batch's KL without noise), the reference is
 *       frozen, and neither minibatches nor early stopping on the approximate KL are offered.
 * </ul>
 *
 * <p>The guarantee covers the prompts only if the reward model and the reference are public or were trained
 * privately on other data (a non-private reward model trained on these prompts would carry them into every
 * gradient). The listeners hear the DP-SGD steps, and {@link PpoListener}s each sampled batch's rollout statistics
 * when it is made ({@link PpoMetrics}); these, the step metrics and the mean scores are statistics of the sampled
 * prompts without noise, for monitoring, and not private. The run is reproducible from the seed.
 */
public final class PpoTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(PpoTrainer.class);

  private final PpoConfig config;
  private final RewardModel rewardModel;
  private final List<TrainingListener> listeners;

  /**
   * A trainer with {@code config} optimising the scores of {@code rewardModel}, reporting every optimiser step to
   * {@code listeners} and every iteration to those that are {@link PpoListener}s.
   */
  public PpoTrainer(PpoConfig config, RewardModel rewardModel, TrainingListener... listeners) {
    this.config = Objects.requireNonNull(config, "config");
    this.rewardModel = Objects.requireNonNull(rewardModel, "rewardModel");
    this.listeners = List.of(listeners);
  }

  /** The configuration. */
  public PpoConfig config() {
    return config;
  }

  /** Trains on the texts of {@code prompts} as prompts, against a copy of the policy as it is now. */
  public PpoResult train(TransformerLm policy, Dataset<TextExample> prompts) {
    Objects.requireNonNull(prompts, "prompts");
    List<String> texts;
    try (Stream<TextExample> s = prompts.stream()) {
      texts = s.map(TextExample::text).toList();
    }
    return run(policy, policy.copy(), texts, prompts.name(), DataFingerprint.ofTexts(prompts));
  }

  /** Trains on {@code prompts} against a copy of the policy as it is now. */
  public PpoResult train(TransformerLm policy, List<String> prompts) {
    return train(policy, policy.copy(), prompts);
  }

  /**
   * Trains on {@code prompts} against {@code reference}, which must have the policy's tokenizer and its own
   * weights (for example {@code policy.copy()}, or the SFT model the policy started from).
   */
  public PpoResult train(TransformerLm policy, TransformerLm reference, List<String> prompts) {
    Objects.requireNonNull(prompts, "prompts");
    return run(policy, reference, prompts, "prompts", DataFingerprint.ofPrompts(prompts));
  }

  /**
   * A session for running the stages of PPO one at a time on prompts drawn from {@code prompts} (every prompt
   * the session will see must be among them or no longer than the longest: the training graph is sized for it).
   * The listeners hear {@code onStart} with {@link PpoSession#plannedSteps()} now and {@code onEnd} at
   * {@link PpoSession#end()}.
   *
   * @throws IllegalArgumentException for no prompts, a prompt that leaves no room for a response in the context,
   *     or a reference with another tokenizer or vocabulary or sharing the policy's weights
   */
  public PpoSession session(TransformerLm policy, TransformerLm reference, List<String> prompts) {
    return session(policy, reference, prompts, listeners);
  }

  private PpoSession session(TransformerLm policy, TransformerLm reference, List<String> prompts,
      List<TrainingListener> sessionListeners) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(reference, "reference");
    Args.check(prompts != null && !prompts.isEmpty(), "empty rollout: no prompts");
    Args.check(reference.weights() != policy.weights(),
        "the reference shares the policy's weights; pass a frozen copy (policy.copy())");
    Args.check(reference.config().vocabSize() == policy.config().vocabSize()
        && reference.tokenizer().toJson().equals(policy.tokenizer().toJson()),
        "the reference's tokenizer differs from the policy's");
    int longest = 0;
    for (int i = 0; i < prompts.size(); i++) {
      longest = Math.max(longest,
          RolloutSequences.encodePrompt(policy.tokenizer(), prompts.get(i), i, policy.contextLength()).length);
    }
    Args.check(reference.contextLength() >= Math.min(policy.contextLength(), longest + config.responseLength()),
        "the reference's context of %s tokens is shorter than the rollouts'", reference.contextLength());
    return new PpoSession(config, rewardModel, policy, reference, longest, sessionListeners);
  }

  private PpoResult run(TransformerLm policy, TransformerLm reference, List<String> prompts, String dataName,
      String sha256) {
    return config.privacy().enabled() ? runPrivate(policy, reference, prompts, dataName, sha256)
        : runPlain(policy, reference, prompts, dataName, sha256);
  }

  private PpoResult runPlain(TransformerLm policy, TransformerLm reference, List<String> prompts, String dataName,
      String sha256) {
    PpoSession session = session(policy, reference, prompts);
    SplittableRandom random = new SplittableRandom(PpoSession.mix(config.seed(), -1, 0));
    int[] order = ShuffledBatches.permutation(prompts.size(), random);
    int cursor = 0;
    List<PpoMetrics> history = new ArrayList<>(config.iterations());
    for (int it = 1; it <= config.iterations(); it++) {
      List<String> batch = new ArrayList<>(config.batchSize());
      while (batch.size() < config.batchSize()) {
        if (cursor == order.length) {
          order = ShuffledBatches.permutation(prompts.size(), random);
          cursor = 0;
        }
        batch.add(prompts.get(order[cursor++]));
      }
      history.add(session.iterate(batch, it));
    }
    session.end();
    TransformerLm trained = policy.withProvenance(
        policy.provenance().withStage(TrainingStage.of(config.advantageEstimator().stageKind(), dataName, sha256,
            config, session.steps(), config.seed())));
    return new PpoResult(trained, reference, session.valueHead(), session.klController(), session.steps(),
        history, Optional.empty());
  }

  /**
   * DP-SGD over prompts: each step's sampled prompts rolled out by the current policy, then {@code ppoEpochs}
   * private updates on their per-prompt losses.
   */
  private PpoResult runPrivate(TransformerLm policy, TransformerLm reference, List<String> prompts, String dataName,
      String sha256) {
    int epochs = config.ppoEpochs();
    if (epochs > 1) {
      LOG.warn("private PPO with {} epochs per batch: each batch is accounted as one step of noise multiplier "
          + "sigma / sqrt({}), spending more privacy per step than the one epoch the analysis assumes", epochs,
          epochs);
    }
    // the session makes the rollouts and takes no step itself: the listeners hear the DP-SGD loop
    PpoSession session = session(policy, reference, prompts, List.of());
    PolicyRolloutLoss loss = new PolicyRolloutLoss(config,
        SamplingLogProbs.of(policy.tokenizer(), policy.config().vocabSize(), config.temperature()));
    Map<String, INDArray> valueHead = loss.hasValueHead()
        ? Map.of(PpoSession.VALUE_WEIGHT, session.valueHead().get(PpoSession.VALUE_WEIGHT))
        : Map.of();
    SplittableRandom rolloutSeeds = new SplittableRandom(~config.seed());
    List<PpoMetrics> history = new ArrayList<>(config.iterations());
    Function<List<String>, List<RolloutGroup>> rollouts = sampled -> {
      long seed = rolloutSeeds.nextLong();
      long t0 = System.nanoTime();
      PpoRollout rollout = sampled.isEmpty() ? null : session.perPromptRollout(sampled, seed);
      PpoMetrics metrics = rolloutMetrics(history.size() + 1, rollout, session.klController().coefficient(), epochs,
          (System.nanoTime() - t0) / 1e9);
      history.add(metrics);
      for (TrainingListener l : listeners) {
        if (l instanceof PpoListener p) {
          p.onIteration(metrics);
        }
      }
      return rollout == null ? List.of() : RolloutGroup.perPrompt(rollout, config.samplesPerPrompt());
    };
    DpSgdConfig dp = DpSgdConfig.of(config.privacy(), config.batchSize(), config.optimizer(), config.iterations(), 1,
        config.seed());
    DpTrainingResult r = DpRun.train(dp, listeners, policy, valueHead, loss, prompts, rollouts, epochs,
        session.sequenceLength(), new DpRun.TokenCounts<>(
            g -> (long) g.size() * g.prompt().length + g.responseTokens(), RolloutGroup::responseTokens),
        new DpRun.Stage(config.advantageEstimator().stageKind(), PrivacyUnit.PROMPT, dataName, sha256,
            TrainingStage.settingsOf(config)));
    return new PpoResult(r.model(), reference, session.valueHead(), session.klController(), r.steps() * epochs,
        history, Optional.of(r));
  }

  /**
   * A private iteration's metrics: its rollout's statistics (NaN for an empty sample, {@code rollout} null), NaN
   * for the statistics DP-SGD measures per prompt, {@code epochs} updates.
   */
  private static PpoMetrics rolloutMetrics(int iteration, PpoRollout rollout, double klCoef, int epochs,
      double seconds) {
    double nan = Double.NaN;
    if (rollout == null) {
      return new PpoMetrics(iteration, nan, nan, nan, nan, nan, nan, nan, nan, nan, klCoef, epochs, epochs, false,
          seconds);
    }
    return new PpoMetrics(iteration, rollout.meanScore(), rollout.meanSequenceKl(), rollout.entropy(), nan, nan,
        nan, nan, rollout.meanResponseLength(), rollout.eosFraction(), rollout.klCoef(), epochs, epochs, false,
        seconds);
  }
}
