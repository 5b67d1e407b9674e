package org.align4j.optimizers.ppo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.align4j.core.dp.ExampleGraph;
import org.align4j.core.dp.PerExampleLoss;
import org.align4j.core.util.Args;
import org.align4j.optimizers.rl.PolicyLoss;
import org.align4j.optimizers.rl.SamplingLogProbs;
import org.align4j.optimizers.rl.ValueLoss;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The PPO loss, written once for private and plain training: the clipped policy loss ({@link PolicyLoss}) plus
 * {@code vfCoef} times the clipped value loss ({@link ValueLoss}, with a value head) minus {@code entropyCoef} times
 * the entropy, per response token. Log-probabilities and entropies are of the sampling distribution
 * ({@link SamplingLogProbs}).
 *
 * <p>Private PPO ({@link PpoTrainer} with privacy settings) differentiates {@link #build}: an example is one
 * prompt's completions ({@link RolloutGroup}, {@link #rowsPerExample()} = the samples per prompt) and its loss is
 * the token mean over the group's own response tokens, so no example's loss depends on another's. This is what
 * the plain step computes for a minibatch holding exactly that group (with the value bias at 0).
 *
 * <p>The plain PPO step ({@link PpoEpoch}) minimises {@link #batchLoss}, on the examples of {@link #perCompletion}
 * (each completion alone, as plain minibatches are cut from a rollout's completions): the same per-token loss
 * averaged over all response tokens of the minibatch, which is {@code policy + vfCoef·value - entropyCoef·entropy}
 * with each term a token mean over the minibatch. Its {@link #outputs()} are the new log-probabilities, entropies
 * and (with a value head) values of every position, from which the epoch measures its statistics; a rollout reads
 * the same outputs of the policy and of the reference ({@link #perCompletionWithoutValueHead}) from forward passes
 * alone ({@link org.align4j.core.dp.BatchGradients#outputs}).
 *
 * <p>The value head is the extra parameter {@link PpoSession#VALUE_WEIGHT} (a [d, 1] matrix on the final hidden
 * states) and, in the batch form only, the bias {@link PpoSession#VALUE_BIAS} ([1, 1]) that it reads directly:
 * the plain step trains the bias, private training does not (its per-example clipping covers heads only, and the
 * bias stays 0; see {@link PpoTrainer}). With a value head the value loss is part of the example's loss, so the
 * head's gradient is clipped together with the policy's.
 *
 * <p>Placeholders: {@code tokens}, {@code ppo_targets} (INT [kB, T]), {@code ppo_weights} (FLOAT [kB, T]: 1 over
 * the group's response tokens on each response target, 0 elsewhere and on padding groups, whose loss is then
 * exactly 0; the batch form reads only where they are positive), {@code ppo_old_logp}, {@code ppo_advantages},
 * and with a value head {@code ppo_old_values} and {@code ppo_returns} (FLOAT [kB, T]).
 */
public final class PolicyRolloutLoss implements PerExampleLoss<RolloutGroup> {

  /** The output of the new log-probability of each target ([kB, T]). */
  static final String LOG_PROBS = "ppo_logp";
  /** The output of the entropy at each position ([kB, T]). */
  static final String ENTROPIES = "ppo_entropy";
  /** The output of the value at each position ([kB, T]; with the bias in the batch form). */
  static final String VALUES = "ppo_values";

  private final SamplingLogProbs sampling;
  private final PolicyLoss policy;
  private final ValueLoss value;
  private final double vfCoef;
  private final double entropyCoef;
  private final int samples;

  /**
   * The loss of {@code config}'s PPO (its clip ranges, value coefficient, entropy coefficient, samples per
   * prompt, and a value head exactly when its advantage estimator uses one) over {@code sampling}, an example
   * being one prompt's {@code samplesPerPrompt} completions.
   */
  public PolicyRolloutLoss(PpoConfig config, SamplingLogProbs sampling) {
    this(config, sampling, Objects.requireNonNull(config, "config").samplesPerPrompt(),
        config.advantageEstimator().usesValueHead());
  }

  private PolicyRolloutLoss(PpoConfig config, SamplingLogProbs sampling, int samples, boolean valueHead) {
    this.sampling = Objects.requireNonNull(sampling, "sampling");
    this.policy = PolicyLoss.clipped(config.clipRange());
    this.value = valueHead ? ValueLoss.clipped(config.valueClipRange()) : null;
    this.vfCoef = config.vfCoef();
    this.entropyCoef = config.entropyCoef();
    this.samples = samples;
  }

  /**
   * The loss of {@code config}'s PPO with each completion an example ({@link #rowsPerExample()} = 1, groups of one
   * completion): the examples of the plain step's minibatches.
   */
  static PolicyRolloutLoss perCompletion(PpoConfig config, SamplingLogProbs sampling) {
    return new PolicyRolloutLoss(config, sampling, 1, config.advantageEstimator().usesValueHead());
  }

  /**
   * {@link #perCompletion} without a value head whatever {@code config}'s advantage estimator: the loss whose
   * {@link #outputs()} are the log-probabilities and entropies of a model without one (the frozen reference's in a
   * rollout).
   */
  static PolicyRolloutLoss perCompletionWithoutValueHead(PpoConfig config, SamplingLogProbs sampling) {
    return new PolicyRolloutLoss(config, sampling, 1, false);
  }

  /** Whether the loss includes the value loss (and the engine must train the value head). */
  public boolean hasValueHead() {
    return value != null;
  }

  @Override
  public SDVariable build(ExampleGraph graph) {
    SameDiff sd = graph.sameDiff();
    Terms terms = terms(graph, false);
    SDVariable rows = sd.sum(terms.perToken().mul(terms.weights()), 1);
    return samples == 1 ? rows : sd.sum(sd.reshape(rows, -1, samples), 1);
  }

  /** The token mean of the per-token loss over every response token of the batch, the value head with its bias. */
  @Override
  public SDVariable batchLoss(ExampleGraph graph) {
    SameDiff sd = graph.sameDiff();
    Terms terms = terms(graph, true);
    SDVariable mask = sd.gt(terms.weights(), 0.0).castTo(DataType.FLOAT);
    return terms.perToken().mul(mask).sum().div(mask.sum());
  }

  @Override
  public List<String> outputs() {
    return value != null ? List.of(LOG_PROBS, ENTROPIES, VALUES) : List.of(LOG_PROBS, ENTROPIES);
  }

  /** The unweighted per-token loss ([kB, T]) and the {@code ppo_weights} placeholder. */
  private record Terms(SDVariable perToken, SDVariable weights) {}

  /** Adds the placeholders and the per-token loss to {@code graph}, the value bias read when {@code withBias}. */
  private Terms terms(ExampleGraph graph, boolean withBias) {
    SameDiff sd = graph.sameDiff();
    int t = graph.seqLen();
    SDVariable targets = sd.placeHolder("ppo_targets", DataType.INT, -1, t);
    SDVariable weights = sd.placeHolder("ppo_weights", DataType.FLOAT, -1, t);
    SDVariable oldLogp = sd.placeHolder("ppo_old_logp", DataType.FLOAT, -1, t);
    SDVariable advantages = sd.placeHolder("ppo_advantages", DataType.FLOAT, -1, t);
    SamplingLogProbs.Outputs q = sampling.build(sd, graph.logits(), targets, t);
    SDVariable logp = q.logProbs().rename(LOG_PROBS);
    SDVariable entropy = q.entropy().rename(ENTROPIES);
    SDVariable perToken = policy.perToken(sd, logp, oldLogp, advantages);
    if (value != null) {
      SDVariable oldValues = sd.placeHolder("ppo_old_values", DataType.FLOAT, -1, t);
      SDVariable returns = sd.placeHolder("ppo_returns", DataType.FLOAT, -1, t);
      SDVariable head = graph.head(PpoSession.VALUE_WEIGHT);
      if (withBias) {
        head = head.add(graph.parameter(PpoSession.VALUE_BIAS));
      }
      SDVariable values = sd.reshape(head, -1, t).rename(VALUES);
      perToken = perToken.add(value.perToken(sd, values, oldValues, returns).mul(vfCoef));
    }
    if (entropyCoef > 0) {
      perToken = perToken.sub(entropy.mul(entropyCoef));
    }
    return new Terms(perToken, weights);
  }

  @Override
  public int rowsPerExample() {
    return samples;
  }

  @Override
  public Map<String, INDArray> placeholders(List<RolloutGroup> examples, int rows, int seqLen) {
    Args.check(rows >= examples.size(), "rows must be >= %s, got %s", examples.size(), rows);
    int n = rows * samples;
    int[][] tokens = new int[n][seqLen];
    int[][] targets = new int[n][seqLen];
    float[][] weights = new float[n][seqLen];
    float[][] oldLogp = new float[n][seqLen];
    float[][] advantages = new float[n][seqLen];
    float[][] oldValues = new float[n][seqLen];
    float[][] returns = new float[n][seqLen];
    for (int i = 0; i < examples.size(); i++) {
      RolloutGroup g = examples.get(i);
      Args.check(g.size() == samples, "group %s has %s completions, expected %s", i, g.size(), samples);
      Args.check(g.inputLength() <= seqLen, "group %s needs %s input tokens but the graph holds %s", i, g.inputLength(),
          seqLen);
      float w = 1f / g.responseTokens();
      int[] prompt = g.prompt();
      int offset = prompt.length - 1;
      for (int s = 0; s < samples; s++) {
        int r = i * samples + s;
        int[] response = g.responses().get(s);
        for (int p = 0; p < offset + response.length; p++) {
          tokens[r][p] = p < prompt.length ? prompt[p] : response[p - prompt.length];
          targets[r][p] = p + 1 < prompt.length ? prompt[p + 1] : response[p + 1 - prompt.length];
        }
        for (int j = 0; j < response.length; j++) {
          weights[r][offset + j] = w;
          oldLogp[r][offset + j] = (float) g.logprobs()[s][j];
          advantages[r][offset + j] = (float) g.advantages()[s][j];
          oldValues[r][offset + j] = (float) g.values()[s][j];
          returns[r][offset + j] = (float) g.returns()[s][j];
        }
      }
    }
    Map<String, INDArray> ph = new HashMap<>();
    ph.put("tokens", Nd4j.createFromArray(tokens));
    ph.put("ppo_targets", Nd4j.createFromArray(targets));
    ph.put("ppo_weights", Nd4j.createFromArray(weights));
    ph.put("ppo_old_logp", Nd4j.createFromArray(oldLogp));
    ph.put("ppo_advantages", Nd4j.createFromArray(advantages));
    if (value != null) {
      ph.put("ppo_old_values", Nd4j.createFromArray(oldValues));
      ph.put("ppo_returns", Nd4j.createFromArray(returns));
    }
    return ph;
  }

  @Override
  public int inputLength(RolloutGroup example) {
    return example.inputLength();
  }
}
