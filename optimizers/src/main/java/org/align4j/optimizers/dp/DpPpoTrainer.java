package org.align4j.optimizers.dp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.dp.DpRun;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.util.Args;
import org.align4j.optimizers.ppo.PpoConfig;
import org.align4j.optimizers.ppo.PpoRollout;
import org.align4j.optimizers.ppo.PpoSession;
import org.align4j.optimizers.ppo.PpoTrainer;
import org.align4j.optimizers.rl.SamplingLogProbs;
import org.align4j.rewardmodel.RewardModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Differentially private PPO (as in Wu et al. 2023, "Privately Aligning Language Models with Reinforcement
 * Learning"): the policy is trained by DP-SGD ({@link DpSgd} with {@link PolicyRolloutLoss}) with prompt-level
 * privacy, the privacy unit being one entry of the training prompts. Each step Poisson-samples prompts at rate q;
 * the current policy samples {@code samplesPerPrompt} completions of each; the {@link RewardModel} scores them;
 * every token is penalised by its KL to the frozen reference (a fixed coefficient) and the score is added on the
 * last token; advantages are computed; then one DP-SGD update on the clipped PPO loss: each prompt's gradient
 * (all its completions together) is clipped to C, Gaussian noise of standard deviation {@code sigma * C} is added
 * to the sum, which is divided by {@code q * N}, and AdamW updates the policy. An empty sample is an update of
 * noise alone. An accountant records every step and the result reports epsilon at the configured delta.
 *
 * <pre>{@code
 * DpSgdConfig dp = DpSgdConfig.builder().targetEpsilon(4).expectedBatchSize(64).steps(200).learningRate(1e-4)
 *     .build();
 * PpoConfig ppo = PpoConfig.builder().advantageEstimator(AdvantageEstimator.RLOO).samplesPerPrompt(4)
 *     .responseLength(48).klCoef(0.05).build();
 * DpPpoResult r = new DpPpoTrainer(new DpPpoConfig(dp, ppo), rewardModel).train(policy, prompts);
 * }</pre>
 *
 * <p>Rollouts, scores, KL, token rewards and advantages come from the non-private session
 * ({@link PpoSession#perPromptRollout}), kept per prompt so that no prompt's loss depends on another's, as
 * per-example clipping requires:
 * <ul>
 *   <li>Advantages are computed per rollout only: no whitening or normalisation across the batch (the
 *       non-private trainer whitens GAE advantages over the batch, which would let every prompt move every
 *       other's advantages). GRPO (scaled per group or not at all) and RLOO compare only the completions of one
 *       prompt, which are one example, so their baselines stay inside it; GRPO scaled by the batch is refused.
 *       Without whitening the advantages keep the scale of the rewards: the learning rate should suit it.
 *   <li>The value function. With GAE the value head ({@link PpoSession#VALUE_WEIGHT} on the policy's final hidden
 *       states) is trained privately: the value loss ({@code vfCoef} times the clipped value loss) is part of the
 *       same per-prompt loss, so the head's gradient is clipped and noised together with the policy's, and the
 *       values GAE reads at the next rollout are a function of private outputs only. The value bias is not trained
 *       and stays 0 (the final layer norm's shift already gives the head a learned constant). GRPO and RLOO need
 *       no value function.
 *   <li>Epochs: one update per sampled batch ({@link DpPpoConfig#epochsPerBatch()} = 1) is what the analysis
 *       assumes. k updates on one batch are allowed with a logged warning and accounted exactly: the k noisy
 *       gradients of one sample compose to one Gaussian mechanism of noise multiplier {@code sigma / sqrt(k)}
 *       before subsampling, so each batch is recorded as one step of {@code sigma / sqrt(k)} at q (counting k
 *       steps of sigma would understate epsilon, since amplification by subsampling applies once to all k). With a
 *       target epsilon, sigma is calibrated to that.
 *   <li>The KL coefficient is fixed (an adaptive one would follow the batch's KL without noise), the reference is
 *       frozen, and early stopping on the approximate KL is not offered.
 * </ul>
 *
 * <p>The guarantee covers the prompts only if the reward model and the reference are public or were trained
 * privately on other data (a non-private reward model trained on these prompts would carry them into every
 * gradient). The step metrics and the mean scores reported are statistics of sampled prompts without noise, for
 * monitoring; they are not private. The policy's weights (and the value head) are updated in place; the run is
 * reproducible from dp's seed.
 */
public final class DpPpoTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(DpPpoTrainer.class);

  private final DpPpoConfig config;
  private final RewardModel rewardModel;
  private final List<TrainingListener> listeners;

  /** A trainer with {@code config} optimising the scores of {@code rewardModel}, reporting to {@code listeners}. */
  public DpPpoTrainer(DpPpoConfig config, RewardModel rewardModel, TrainingListener... listeners) {
    this.config = Objects.requireNonNull(config, "config");
    this.rewardModel = Objects.requireNonNull(rewardModel, "rewardModel");
    this.listeners = List.of(listeners);
  }

  /** Trains on the texts of {@code prompts} as prompts, against a copy of the policy as it is now. */
  public DpPpoResult train(TransformerLm policy, Dataset<TextExample> prompts) {
    Objects.requireNonNull(prompts, "prompts");
    List<String> texts;
    try (Stream<TextExample> s = prompts.stream()) {
      texts = s.map(TextExample::text).toList();
    }
    Args.check(!texts.isEmpty(), "prompts must not be empty: data set %s has no examples", prompts.name());
    return run(policy, null, texts, prompts.name(), DataFingerprint.ofTexts(prompts));
  }

  /** Trains on {@code prompts} against a copy of the policy as it is now. */
  public DpPpoResult train(TransformerLm policy, List<String> prompts) {
    return train(policy, null, prompts);
  }

  /**
   * Trains on {@code prompts} (each entry one privacy unit) against {@code reference} (a frozen model with the
   * policy's tokenizer and its own weights; null for a copy of the policy as it is now).
   *
   * @throws IllegalArgumentException for no prompts, a prompt that leaves no room for a response, or a reference
   *     that does not fit the policy
   */
  public DpPpoResult train(TransformerLm policy, TransformerLm reference, List<String> prompts) {
    Args.check(prompts != null && !prompts.isEmpty(), "prompts must not be empty");
    return run(policy, reference, prompts, "prompts", DataFingerprint.ofPrompts(prompts));
  }

  private DpPpoResult run(TransformerLm policy, TransformerLm reference, List<String> prompts, String dataName,
      String sha256) {
    Objects.requireNonNull(policy, "policy");
    PpoConfig ppo = config.ppo();
    int epochs = config.epochsPerBatch();
    if (epochs > 1) {
      LOG.warn("private PPO with {} epochs per batch: each batch is accounted as one step of noise multiplier "
          + "sigma / sqrt({}), spending more privacy per step than the one epoch the analysis assumes", epochs,
          epochs);
    }
    PpoSession session = new PpoTrainer(ppo, rewardModel)
        .session(policy, reference == null ? policy.copy() : reference, prompts);
    PolicyRolloutLoss loss = new PolicyRolloutLoss(ppo,
        SamplingLogProbs.of(policy.tokenizer(), policy.config().vocabSize(), ppo.temperature()));
    Map<String, INDArray> valueHead = loss.hasValueHead()
        ? Map.of(PpoSession.VALUE_WEIGHT, session.valueHead().get(PpoSession.VALUE_WEIGHT))
        : Map.of();
    SplittableRandom rolloutSeeds = new SplittableRandom(~config.dp().seed());
    List<Double> meanScores = new ArrayList<>();
    Function<List<String>, List<RolloutGroup>> rollouts = sampled -> {
      long seed = rolloutSeeds.nextLong();
      if (sampled.isEmpty()) {
        meanScores.add(Double.NaN);
        return List.of();
      }
      PpoRollout rollout = session.perPromptRollout(sampled, seed);
      meanScores.add(rollout.meanScore());
      return groups(rollout, ppo.samplesPerPrompt());
    };
    DpTrainingResult r = DpRun.train(config.dp(), listeners, policy, valueHead, loss, prompts, rollouts, epochs,
        session.sequenceLength(), new DpRun.TokenCounts<>(
            g -> (long) g.size() * g.prompt().length + g.responseTokens(), RolloutGroup::responseTokens),
        new DpRun.Stage(ppo.advantageEstimator().stageKind(), PrivacyUnit.PROMPT, dataName, sha256,
            TrainingStage.settingsOf(config)));
    return new DpPpoResult(r.model(), r, session.valueHead(), meanScores);
  }

  /** The rollout's completions as one group per prompt ({@code samplesPerPrompt} consecutive completions). */
  static List<RolloutGroup> groups(PpoRollout rollout, int samplesPerPrompt) {
    List<RolloutGroup> out = new ArrayList<>(rollout.size() / samplesPerPrompt);
    for (int from = 0; from < rollout.size(); from += samplesPerPrompt) {
      int to = from + samplesPerPrompt;
      out.add(new RolloutGroup(rollout.promptTokens().get(from), rollout.responses().subList(from, to),
          Arrays.copyOfRange(rollout.logprobs(), from, to), Arrays.copyOfRange(rollout.advantages(), from, to),
          Arrays.copyOfRange(rollout.values(), from, to), Arrays.copyOfRange(rollout.returns(), from, to)));
    }
    return out;
  }
}
