package org.align4j.optimizers.ppo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.train.ShuffledBatches;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.RewardModel;

/**
 * Reinforcement learning from a reward model with PPO, in the manner of TRL's PPO trainer and OpenRLHF. Each
 * iteration takes {@code batchSize} prompts (a seeded shuffle, cycled), samples {@code samplesPerPrompt}
 * completions of each from the policy at the configured temperature, scores them with the {@link RewardModel},
 * penalises each token by its KL to a frozen reference (k1 or k3, a fixed or adaptive coefficient), adds the
 * score (less a penalty when EOS is missing) on the last response token, computes advantages (GAE over a value
 * head on the policy's trunk, whitened; or GRPO's or RLOO's group baselines without a value head), and runs
 * {@code ppoEpochs} passes of minibatch AdamW steps on the clipped policy loss plus {@code vfCoef} times the
 * clipped value loss, minus an optional entropy bonus, stopping early when the approximate KL passes the target.
 * The KL controller is updated after every iteration.
 *
 * <p>Log-probabilities are those of the sampling distribution (logits divided by the temperature, BOS and PAD
 * excluded as the sampler excludes them). The policy's weights are updated in place; the same seed gives the same
 * run. For control over single stages (one epoch per rollout, as differentially private training needs) use
 * {@link #session}.
 */
public final class PpoTrainer {

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
    return new PpoSession(config, rewardModel, policy, reference, longest, listeners);
  }

  private PpoResult run(TransformerLm policy, TransformerLm reference, List<String> prompts, String dataName,
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
        history);
  }
}
