package org.align4j.optimizers.ppo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.dp.BatchGradients;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.train.LoopSettings;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.train.TrainingLoop;
import org.align4j.core.util.Args;
import org.align4j.optimizers.rl.Gae;
import org.align4j.optimizers.rl.GroupAdvantages;
import org.align4j.optimizers.rl.KlController;
import org.align4j.optimizers.rl.PolicyLoss;
import org.align4j.optimizers.rl.Rollouts;
import org.align4j.optimizers.rl.SamplingLogProbs;
import org.align4j.optimizers.rl.TokenRewards;
import org.align4j.optimizers.rl.ValueLoss;
import org.align4j.optimizers.rl.Whitening;
import org.align4j.rewardmodel.RewardModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One PPO run's state: the policy (updated in place), the frozen reference, the value head, the optimiser and the
 * KL controller, with the three stages of an iteration available separately: {@link #rollout} (sample, score,
 * reward and advantages; {@link #perPromptRollout} without whitening across the batch), {@link #epoch} (one pass of
 * clipped-loss updates over a rollout's minibatches, the unit that differentially private training replaces) and
 * {@link #iterate} (both, for the configured number of PPO epochs, then the KL controller's update). A rollout's
 * log-probabilities, entropies and values are {@link PolicyRolloutLoss}'s outputs on forward passes alone of the
 * policy (with the value head, its bias included) and of the reference (without one): {@link BatchGradients#outputs}
 * over 64 completions at a time, on the hand-written passes when the model's architecture has them. The updates
 * minimise {@link PolicyRolloutLoss}'s batch loss over each minibatch of completions (the objective private PPO
 * clips per prompt), differentiated by {@link BatchGradients} and training the value head's weight and bias. The
 * updates run on one {@link TrainingLoop.Session} (one AdamW state and step count over all epochs; listeners
 * hear {@code onStart} when the session is made and {@code onEnd} at {@link #end}). Made by
 * {@link PpoTrainer#session}. Not thread-safe.
 */
public final class PpoSession {

  /** The name of the value head's weight ([d, 1]) in {@link #valueHead()}. */
  public static final String VALUE_WEIGHT = "value_head.w";

  /** The name of the value head's bias ([1, 1]) in {@link #valueHead()}. */
  public static final String VALUE_BIAS = "value_head.b";

  /** Completions per forward pass of a rollout. */
  private static final int FORWARD_BATCH = 64;

  private final PpoConfig config;
  private final RewardModel rewardModel;
  private final TransformerLm policy;
  private final Tokenizer tokenizer;
  private final List<TrainingListener> listeners;
  private final int maxPromptTokens;
  private final Map<String, INDArray> valueHead = new LinkedHashMap<>();
  private final Map<String, INDArray> parameters = new LinkedHashMap<>();
  private final int seqLen;
  private final BatchGradients<RolloutGroup> gradients;
  private final BatchGradients<RolloutGroup> referenceOutputs;
  private final PolicyLoss policyLoss;
  private final ValueLoss valueLoss;
  private final long plannedSteps;
  private final TrainingLoop.Session training;
  private KlController klController;

  PpoSession(PpoConfig config, RewardModel rewardModel, TransformerLm policy, TransformerLm reference,
      int maxPromptTokens, List<TrainingListener> listeners) {
    this.config = config;
    this.rewardModel = rewardModel;
    this.policy = policy;
    this.tokenizer = policy.tokenizer();
    this.listeners = List.copyOf(listeners);
    this.maxPromptTokens = maxPromptTokens;
    this.klController = config.klController();
    this.policyLoss = PolicyLoss.clipped(config.clipRange());
    this.valueLoss = ValueLoss.clipped(config.valueClipRange());
    this.seqLen = Math.min(policy.contextLength() - 1, maxPromptTokens + config.responseLength() - 1);
    SamplingLogProbs sampling =
        SamplingLogProbs.of(tokenizer, policy.config().vocabSize(), config.temperature());
    if (config.advantageEstimator().usesValueHead()) {
      int d = policy.config().dModel();
      valueHead.put(VALUE_WEIGHT, Nd4j.zeros(DataType.FLOAT, d, 1));
      valueHead.put(VALUE_BIAS, Nd4j.zeros(DataType.FLOAT, 1, 1));
    }
    parameters.putAll(policy.weights().asMap());
    parameters.putAll(valueHead);
    this.gradients = BatchGradients.create(policy.weights(), valueHead,
        PolicyRolloutLoss.perCompletion(config, sampling), seqLen, false);
    this.referenceOutputs = BatchGradients.create(reference.weights(), Map.of(),
        PolicyRolloutLoss.perCompletionWithoutValueHead(config, sampling), seqLen, false);
    this.plannedSteps = (long) config.iterations() * config.ppoEpochs() * config.miniBatches();
    // PpoConfig's optimizer settings have no warm-up and no decay: the learning rate is constant
    LoopSettings settings = LoopSettings.builder().optimizer(config.optimizer()).seed(config.seed()).build();
    this.training = new TrainingLoop(settings, listeners).start(parameters,
        name -> name.equals(VALUE_WEIGHT) || TransformerWeights.decays(name), plannedSteps);
  }

  /** The KL controller now (it changes after every {@link #iterate}). */
  public KlController klController() {
    return klController;
  }

  /** The value head's live arrays by name; empty for GRPO and RLOO. */
  public Map<String, INDArray> valueHead() {
    return Collections.unmodifiableMap(valueHead);
  }

  /**
   * The longest model input of this session: a prompt of the longest the session was sized for plus a
   * full-length completion, less one (the last token is only a target), at most the context less one.
   */
  public int sequenceLength() {
    return seqLen;
  }

  /** Optimiser steps taken so far. */
  public long steps() {
    return training.steps();
  }

  /** Ends the session's training: listeners receive {@link TrainingListener#onEnd} (once). */
  public void end() {
    training.end();
  }

  /** The optimiser steps a full run of {@link PpoConfig#iterations()} iterations plans (reported to listeners). */
  public long plannedSteps() {
    return plannedSteps;
  }

  /**
   * Samples {@code samplesPerPrompt} completions of each prompt from the policy (seeded by {@code seed}), scores
   * them with the reward model and computes per-token KL to the reference, token rewards, values and advantages.
   *
   * @throws IllegalArgumentException for no prompts, a prompt longer than the ones this session was sized for,
   *     or a reward model that returns a wrong number of scores or a non-finite score
   */
  public PpoRollout rollout(List<String> prompts, long seed) {
    return rollout(prompts, seed, true);
  }

  /**
   * {@link #rollout} with advantages that depend on each prompt's own completions only: GAE's advantages are not
   * whitened over the batch (GRPO and RLOO compare the completions of one prompt as usual). This is the rollout
   * of differentially private PPO, where one prompt's completions must not move another prompt's advantages.
   *
   * @throws IllegalArgumentException as {@link #rollout} does, and when the configuration whitens rewards or
   *     scales GRPO by the whole batch
   */
  public PpoRollout perPromptRollout(List<String> prompts, long seed) {
    Args.check(!config.whitenRewards(), "whitenRewards must be false for per-prompt advantages, got true");
    Args.check(config.advantageEstimator() != AdvantageEstimator.GRPO
        || config.grpoScaling() != GroupAdvantages.Scaling.BATCH,
        "grpoScaling must be GROUP or NONE for per-prompt advantages, got BATCH");
    return rollout(prompts, seed, false);
  }

  private PpoRollout rollout(List<String> prompts, long seed, boolean whitenAdvantages) {
    Args.check(prompts != null && !prompts.isEmpty(), "empty rollout: no prompts");
    List<String> expanded = new ArrayList<>();
    List<int[]> encoded = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      int[] ids = RolloutSequences.encodePrompt(tokenizer, prompts.get(i), i, policy.contextLength());
      Args.check(ids.length <= maxPromptTokens, "prompt %s has %s tokens (with BOS), more than the %s this session "
          + "was sized for", i, ids.length, maxPromptTokens);
      for (int s = 0; s < config.samplesPerPrompt(); s++) {
        expanded.add(prompts.get(i));
        encoded.add(ids);
      }
    }
    List<int[]> responses = policy.generate(encoded,
        GenerationConfig.sampling(config.responseLength(), config.temperature(), seed));
    int n = expanded.size();
    boolean[] endedWithEos = new boolean[n];
    List<String> texts = new ArrayList<>(n);
    int longest = 0;
    for (int i = 0; i < n; i++) {
      int[] r = responses.get(i);
      Args.check(r.length > 0, "empty rollout: completion %s has no tokens", i);
      endedWithEos[i] = r[r.length - 1] == tokenizer.eosId();
      texts.add(tokenizer.decode(endedWithEos[i] ? Arrays.copyOf(r, r.length - 1) : r));
      longest = Math.max(longest, r.length);
    }
    double[] scores = score(expanded, texts);

    List<RolloutGroup> completions = new ArrayList<>(n);
    double[][] mask = new double[n][longest];
    for (int i = 0; i < n; i++) {
      double[][] unused = {new double[responses.get(i).length]};
      completions.add(new RolloutGroup(encoded.get(i), List.of(responses.get(i)), unused, unused, unused, unused));
      Arrays.fill(mask[i], 0, responses.get(i).length, 1);
    }
    Map<String, double[][]> pol = responseOutputs(gradients, completions, longest);
    double[][] logp = pol.get(PolicyRolloutLoss.LOG_PROBS);
    double[][] refLogp = responseOutputs(referenceOutputs, completions, longest).get(PolicyRolloutLoss.LOG_PROBS);
    double[][] entropy = pol.get(PolicyRolloutLoss.ENTROPIES);
    double[][] values = valueHead.isEmpty() ? new double[n][longest] : pol.get(PolicyRolloutLoss.VALUES);
    double coef = klController.coefficient();
    TokenRewards.Result tokenRewards = TokenRewards.builder().klCoef(coef).estimator(config.klEstimator())
        .missingEosPenalty(config.missingEosPenalty()).build()
        .compute(logp, refLogp, mask, scores, endedWithEos);
    double[][] advantages;
    double[][] returns;
    if (config.advantageEstimator().usesValueHead()) {
      double[][] rewards = config.whitenRewards()
          ? Whitening.whiten(tokenRewards.rewards(), mask, Whitening.Convention.TRL, false)
          : tokenRewards.rewards();
      Gae.Advantages gae = Gae.of(config.gamma(), config.lambda()).computeMasked(rewards, values, mask);
      advantages = whitenAdvantages
          ? Whitening.whiten(gae.advantages(), mask, Whitening.Convention.TRL, true)
          : gae.advantages();
      returns = gae.returns();
    } else {
      advantages = RolloutSequences.groupAdvantages(config, tokenRewards.rewards(), mask);
      returns = new double[n][longest];
    }
    return new PpoRollout(List.copyOf(expanded), List.copyOf(encoded), List.copyOf(responses), List.copyOf(texts),
        scores, endedWithEos, mask, logp, refLogp, values, tokenRewards.kl(), tokenRewards.rewards(), advantages,
        returns, tokenRewards.meanSequenceKl(), coef, Rollouts.maskedMean(entropy, mask));
  }

  /**
   * One PPO epoch, a run of the session's {@link TrainingLoop}: the rollout's completions shuffled (seeded by
   * {@code seed}) and split into {@code miniBatches} minibatches, one AdamW step on the clipped loss each at the
   * constant learning rate. Stops after a minibatch whose approximate KL exceeds the target KL.
   *
   * @throws org.align4j.core.train.TrainingDivergedException when a minibatch's loss or gradient norm is not
   *     finite (before its update; the session then ends)
   */
  public PpoEpochStats epoch(PpoRollout rollout, long seed) {
    Args.check(rollout != null && rollout.size() > 0, "empty rollout: no completions");
    int n = rollout.size();
    int parts = Math.min(config.miniBatches(), n);
    PpoEpoch epoch = new PpoEpoch(rollout, gradients, policyLoss, valueLoss, !valueHead.isEmpty(),
        config.targetKl());
    training.run(PpoEpoch.minibatches(n, parts, seed), parts, epoch);
    return epoch.stats();
  }

  /**
   * A whole iteration: a rollout of {@code prompts}, up to {@code ppoEpochs} epochs over it (fewer when the target
   * KL is exceeded), then the KL controller's update with the rollout's KL; listeners receive the metrics.
   *
   * @param iteration 1-based; with the configured seed it fixes the sampling and minibatch order
   */
  public PpoMetrics iterate(List<String> prompts, int iteration) {
    long t0 = System.nanoTime();
    PpoRollout rollout = rollout(prompts, mix(config.seed(), iteration, 0));
    double[] sums = new double[5];
    int epochs = 0;
    int stepCount = 0;
    boolean stopped = false;
    for (int e = 0; e < config.ppoEpochs() && !stopped; e++) {
      PpoEpochStats s = epoch(rollout, mix(config.seed(), iteration, e + 1));
      double[] values = {s.policyLoss(), s.valueLoss(), s.clipFraction(), s.approxKl(), s.entropy()};
      for (int k = 0; k < sums.length; k++) {
        sums[k] += values[k] * s.steps();
      }
      epochs++;
      stepCount += s.steps();
      stopped = s.stoppedEarly();
    }
    double coef = klController.coefficient();
    klController = klController.update(rollout.meanSequenceKl(), rollout.size());
    PpoMetrics metrics = new PpoMetrics(iteration, rollout.meanScore(), rollout.meanSequenceKl(),
        rollout.entropy(), sums[2] / stepCount, sums[3] / stepCount, sums[0] / stepCount, sums[1] / stepCount,
        rollout.meanResponseLength(), rollout.eosFraction(), coef, epochs, stepCount, stopped,
        (System.nanoTime() - t0) / 1e9);
    for (TrainingListener l : listeners) {
      if (l instanceof PpoListener p) {
        p.onIteration(metrics);
      }
    }
    return metrics;
  }

  /**
   * {@code model}'s outputs ({@link PolicyRolloutLoss#outputs()}) at the response tokens of {@code completions}
   * (groups of one), from forward passes over {@link #FORWARD_BATCH} completions at a time: element {@code [i][j]}
   * of each is about response token {@code j} of completion {@code i}, rows {@code width} long.
   */
  private static Map<String, double[][]> responseOutputs(BatchGradients<RolloutGroup> model,
      List<RolloutGroup> completions, int width) {
    Map<String, double[][]> out = new LinkedHashMap<>();
    for (int start = 0; start < completions.size(); start += FORWARD_BATCH) {
      List<RolloutGroup> batch = completions.subList(start, Math.min(completions.size(), start + FORWARD_BATCH));
      for (Map.Entry<String, INDArray> e : model.outputs(batch).entrySet()) {
        double[][] values = out.computeIfAbsent(e.getKey(), k -> new double[completions.size()][width]);
        float[][] rows = e.getValue().toFloatMatrix();
        for (int k = 0; k < batch.size(); k++) {
          RolloutGroup c = batch.get(k);
          int offset = c.prompt().length - 1;
          for (int j = 0; j < c.responses().get(0).length; j++) {
            values[start + k][j] = rows[k][offset + j];
          }
        }
      }
    }
    return out;
  }

  /** Mixes a seed with two counters into an independent seed. */
  static long mix(long seed, long a, long b) {
    return new SplittableRandom(seed ^ (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL)).nextLong();
  }

  private double[] score(List<String> prompts, List<String> responses) {
    double[] scores = rewardModel.score(List.copyOf(prompts), List.copyOf(responses));
    Args.check(scores != null && scores.length == prompts.size(), "the reward model returned %s for %s completions",
        scores == null ? "null" : scores.length + " scores", prompts.size());
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException("the reward model returned " + scores[i] + " for completion " + i
            + " of prompt " + RolloutSequences.abbreviate(prompts.get(i)) + " and response "
            + RolloutSequences.abbreviate(responses.get(i))
            + "; scores must be finite");
      }
    }
    return scores;
  }
}
