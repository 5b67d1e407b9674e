package org.align4j.optimizers.ppo;

import static org.align4j.core.dp.DpFixtures.maxAbs;
import static org.align4j.core.dp.DpFixtures.maxDiff;
import static org.align4j.optimizers.ppo.PpoFixtures.LOWERCASE;
import static org.align4j.optimizers.ppo.PpoFixtures.PROMPTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.dp.BatchGradients;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.internal.TransformerGraph;
import org.align4j.optimizers.rl.PolicyLoss;
import org.align4j.optimizers.rl.Rollouts;
import org.align4j.optimizers.rl.SamplingLogProbs;
import org.align4j.optimizers.rl.ValueLoss;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plain PPO step's objective, {@link PolicyRolloutLoss#batchLoss} through {@link BatchGradients}, against the
 * formula it replaced, written out here on the whole SameDiff graph: the clipped policy loss plus {@code vfCoef}
 * times the clipped value loss of {@code hidden·w + b} minus {@code entropyCoef} times the entropy, each a token
 * mean over the minibatch.
 */
class PlainPpoLossTest {

  private static final String OLD_LOSS = "old_loss";

  @Test
  void theBatchLossAndItsGradientsAreTheClippedPpoLossOverTheMinibatchWithTheValueBias() {
    PpoConfig config = PpoConfig.builder().responseLength(5).samplesPerPrompt(2).miniBatches(1).learningRate(0.05)
        .clipRange(0.05).valueClipRange(0.05).vfCoef(0.3).entropyCoef(0.02).build();
    check(config, true);
  }

  @Test
  void withoutAValueHeadOrEntropyBonusTheBatchLossIsThePolicyLossAlone() {
    PpoConfig config = PpoConfig.builder().responseLength(5).samplesPerPrompt(2).miniBatches(1).learningRate(0.05)
        .clipRange(0.05).advantageEstimator(AdvantageEstimator.RLOO).build();
    check(config, false);
  }

  /** One session epoch moves the policy and value head off the sampling state, then a minibatch is compared. */
  private static void check(PpoConfig config, boolean valueHead) {
    TransformerLm policy = PpoFixtures.model(16, 4);
    PpoSession session = new PpoTrainer(config, LOWERCASE).session(policy, policy.copy(), PROMPTS);
    PpoRollout sampled = session.rollout(PROMPTS.subList(0, 3), 7);
    session.epoch(sampled, 1);
    PpoRollout rollout = withUnequalLengths(sampled);
    assertThat(session.valueHead().isEmpty()).isEqualTo(!valueHead);
    if (valueHead) {
      assertThat(session.valueHead().get(PpoSession.VALUE_BIAS).getDouble(0)).as("the bias moved").isNotZero();
    }
    SamplingLogProbs sampling =
        SamplingLogProbs.of(policy.tokenizer(), policy.config().vocabSize(), config.temperature());
    int seqLen = session.sequenceLength();
    int[] rows = {4, 1, 2}; // not whole prompt groups, in minibatch order, of 1 to 4 tokens
    List<RolloutGroup> completions = RolloutGroup.perPrompt(rollout, 1);
    List<RolloutGroup> batch = new ArrayList<>();
    for (int i : rows) {
      batch.add(completions.get(i));
    }
    BatchGradients.Result actual = BatchGradients.create(policy.weights(), session.valueHead(),
        PolicyRolloutLoss.perCompletion(config, sampling), seqLen, false).compute(batch);
    TransformerGraph.Gradients expected =
        oldFormula(policy, session.valueHead(), config, sampling, rollout, rows, seqLen);

    double loss = expected.outputs().get(OLD_LOSS).getDouble(0);
    assertThat(actual.loss()).isCloseTo(loss, within(1e-5 * (1 + Math.abs(loss))));
    assertThat(actual.gradients().keySet()).isEqualTo(expected.byWeight().keySet());
    assertThat(maxDiff(actual.gradients(), expected.byWeight()))
        .isLessThan(1e-4 * maxAbs(expected.byWeight()) + 1e-6);
    if (valueHead) {
      double bias = expected.byWeight().get(PpoSession.VALUE_BIAS).getDouble(0);
      assertThat(Math.abs(bias)).as("the bias has a gradient").isGreaterThan(1e-4);
      assertThat(actual.gradients().get(PpoSession.VALUE_BIAS).getDouble(0))
          .isCloseTo(bias, within(1e-4 * Math.abs(bias)));
    }
    assertThat(actual.loss()).isCloseTo(plainJavaLoss(config, rollout, rows, actual.outputs()),
        within(1e-5 * (1 + Math.abs(loss))));
  }

  /**
   * {@code rollout} with completion {@code i} cut to {@code length - i} tokens (at least one), so that a token mean
   * over the minibatch differs from a mean of the completions' token means.
   */
  private static PpoRollout withUnequalLengths(PpoRollout r) {
    List<int[]> responses = new ArrayList<>();
    for (int i = 0; i < r.size(); i++) {
      int[] response = r.responses().get(i);
      responses.add(Arrays.copyOf(response, Math.max(1, response.length - i)));
    }
    return new PpoRollout(r.prompts(), r.promptTokens(), responses, r.responseTexts(), r.scores(), r.endedWithEos(),
        r.mask(), r.logprobs(), r.refLogprobs(), r.values(), r.kl(), r.rewards(), r.advantages(), r.returns(),
        r.meanSequenceKl(), r.klCoef(), r.entropy());
  }

  /**
   * The loss as the statistics compute it, in double precision from the outputs: the policy loss, clipping some
   * tokens, plus the value loss and the entropy bonus.
   */
  private static double plainJavaLoss(PpoConfig config, PpoRollout rollout, int[] rows, Map<String, INDArray> out) {
    float[][] logp = out.get(PolicyRolloutLoss.LOG_PROBS).toFloatMatrix();
    float[][] entropy = out.get(PolicyRolloutLoss.ENTROPIES).toFloatMatrix();
    float[][] values = out.containsKey(PolicyRolloutLoss.VALUES)
        ? out.get(PolicyRolloutLoss.VALUES).toFloatMatrix() : null;
    int width = rollout.mask()[0].length;
    double[][][] a = new double[8][rows.length][width];
    for (int k = 0; k < rows.length; k++) {
      int i = rows[k];
      int offset = rollout.promptTokens().get(i).length - 1;
      for (int j = 0; j < rollout.responses().get(i).length; j++) {
        a[0][k][j] = logp[k][offset + j];
        a[1][k][j] = rollout.logprobs()[i][j];
        a[2][k][j] = rollout.advantages()[i][j];
        a[3][k][j] = 1;
        a[4][k][j] = entropy[k][offset + j];
        a[5][k][j] = values == null ? 0 : values[k][offset + j];
        a[6][k][j] = rollout.values()[i][j];
        a[7][k][j] = rollout.returns()[i][j];
      }
    }
    PolicyLoss.Result policy = PolicyLoss.clipped(config.clipRange()).compute(a[0], a[1], a[2], a[3]);
    assertThat(policy.clipFraction()).as("some tokens are clipped").isPositive();
    double value = values == null ? 0
        : ValueLoss.clipped(config.valueClipRange()).compute(a[5], a[6], a[7], a[3]).loss();
    return policy.tokenMeanLoss() + config.vfCoef() * value - config.entropyCoef() * Rollouts.maskedMean(a[4], a[3]);
  }

  /**
   * The replaced plain PPO graph's loss and gradients: the whole transformer graph with the value head
   * {@code hidden·w + b}, each loss term a masked mean over the minibatch's response tokens.
   */
  private static TransformerGraph.Gradients oldFormula(TransformerLm policy, Map<String, INDArray> valueHead,
      PpoConfig config, SamplingLogProbs sampling, PpoRollout rollout, int[] rows, int seqLen) {
    TransformerGraph graph = TransformerGraph.create(policy.weights(), seqLen, false);
    SameDiff sd = graph.sameDiff();
    SDVariable targets = sd.placeHolder("targets", DataType.INT, -1, seqLen);
    SDVariable mask = sd.placeHolder("mask", DataType.FLOAT, -1, seqLen);
    SDVariable oldLogp = sd.placeHolder("old_logp", DataType.FLOAT, -1, seqLen);
    SDVariable advantages = sd.placeHolder("advantages", DataType.FLOAT, -1, seqLen);
    SamplingLogProbs.Outputs q = sampling.build(sd, graph.logits(), targets, seqLen);
    SDVariable total = PolicyLoss.clipped(config.clipRange()).loss(sd, q.logProbs(), oldLogp, advantages, mask);
    if (!valueHead.isEmpty()) {
      SDVariable w = graph.addParameter(PpoSession.VALUE_WEIGHT, valueHead.get(PpoSession.VALUE_WEIGHT));
      SDVariable b = graph.addParameter(PpoSession.VALUE_BIAS, valueHead.get(PpoSession.VALUE_BIAS));
      SDVariable values = sd.reshape(graph.hidden().mmul(w).add(b), -1, seqLen);
      SDVariable oldValues = sd.placeHolder("old_values", DataType.FLOAT, -1, seqLen);
      SDVariable returns = sd.placeHolder("returns", DataType.FLOAT, -1, seqLen);
      total = total.add(ValueLoss.clipped(config.valueClipRange()).loss(sd, values, oldValues, returns, mask)
          .mul(config.vfCoef()));
    }
    total = total.sub(q.entropy().mul(mask).sum().div(mask.sum()).mul(config.entropyCoef()));
    sd.setLossVariables(sd.identity(OLD_LOSS, total));

    List<int[]> prompts = new ArrayList<>();
    List<int[]> responses = new ArrayList<>();
    for (int i : rows) {
      prompts.add(rollout.promptTokens().get(i));
      responses.add(rollout.responses().get(i));
    }
    int[][][] io = inputsAndTargets(prompts, responses, seqLen, policy.tokenizer().padId());
    float[][][] data = new float[5][rows.length][seqLen];
    for (int k = 0; k < rows.length; k++) {
      int i = rows[k];
      int offset = prompts.get(k).length - 1;
      for (int j = 0; j < responses.get(k).length; j++) {
        data[0][k][offset + j] = 1;
        data[1][k][offset + j] = (float) rollout.logprobs()[i][j];
        data[2][k][offset + j] = (float) rollout.advantages()[i][j];
        data[3][k][offset + j] = (float) rollout.values()[i][j];
        data[4][k][offset + j] = (float) rollout.returns()[i][j];
      }
    }
    Map<String, INDArray> ph = new HashMap<>();
    ph.put("tokens", Nd4j.createFromArray(io[0]));
    ph.put("targets", Nd4j.createFromArray(io[1]));
    ph.put("mask", Nd4j.createFromArray(data[0]));
    ph.put("old_logp", Nd4j.createFromArray(data[1]));
    ph.put("advantages", Nd4j.createFromArray(data[2]));
    if (!valueHead.isEmpty()) {
      ph.put("old_values", Nd4j.createFromArray(data[3]));
      ph.put("returns", Nd4j.createFromArray(data[4]));
    }
    return graph.gradients(ph, OLD_LOSS);
  }

  /** Model inputs ({@code [0]}) and next-token targets ({@code [1]}) of prompt + response, right-padded. */
  private static int[][][] inputsAndTargets(List<int[]> prompts, List<int[]> responses, int seqLen, int padId) {
    int n = prompts.size();
    int[][] tokens = new int[n][seqLen];
    int[][] targets = new int[n][seqLen];
    for (int i = 0; i < n; i++) {
      int[] p = prompts.get(i);
      int[] r = responses.get(i);
      int[] seq = Arrays.copyOf(p, p.length + r.length);
      System.arraycopy(r, 0, seq, p.length, r.length);
      Arrays.fill(tokens[i], padId);
      Arrays.fill(targets[i], padId);
      System.arraycopy(seq, 0, tokens[i], 0, seq.length - 1);
      System.arraycopy(seq, 1, targets[i], 0, seq.length - 1);
    }
    return new int[][][] {tokens, targets};
  }
}
