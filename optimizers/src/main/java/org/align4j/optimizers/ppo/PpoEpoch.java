package org.align4j.optimizers.ppo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.model.internal.TransformerGraph;
import org.align4j.core.train.BatchSampler;
import org.align4j.core.train.ShuffledBatches;
import org.align4j.core.train.StepMetrics;
import org.align4j.core.train.TrainingLoop;
import org.align4j.optimizers.rl.PolicyLoss;
import org.align4j.optimizers.rl.Rollouts;
import org.align4j.optimizers.rl.ValueLoss;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One PPO epoch as the {@link TrainingLoop}'s objective: each batch is a minibatch of a rollout's completions and
 * its gradients are those of the clipped loss; the policy loss, value loss, clip fraction, approximate KL and
 * entropy of every minibatch (measured before its update) are summed for {@link #stats}, and the epoch ends after
 * a minibatch whose approximate KL exceeds the target KL.
 */
final class PpoEpoch implements TrainingLoop.Objective<PpoEpoch.Minibatch> {

  /** A minibatch: its rows of the rollout, the graph's placeholders and its response tokens. */
  record Minibatch(int[] rows, Map<String, INDArray> placeholders, long tokens) {}

  private final PpoRollout rollout;
  private final PpoGraph graph;
  private final PolicyLoss policyLoss;
  private final ValueLoss valueLoss;
  private final boolean hasValueHead;
  private final int padId;
  private final double targetKl;
  private final double[] sums = new double[5];
  private double[] last;
  private int steps;

  PpoEpoch(PpoRollout rollout, PpoGraph graph, PolicyLoss policyLoss, ValueLoss valueLoss, boolean hasValueHead,
      int padId, double targetKl) {
    this.rollout = rollout;
    this.graph = graph;
    this.policyLoss = policyLoss;
    this.valueLoss = valueLoss;
    this.hasValueHead = hasValueHead;
    this.padId = padId;
    this.targetKl = targetKl;
  }

  /**
   * One epoch's minibatches: the rollout's {@code n} completions in a permutation seeded by {@code seed}, cut into
   * {@code parts} minibatches of {@code n / parts} completions, one more for some.
   */
  static BatchSampler minibatches(int n, int parts, long seed) {
    int[] order = ShuffledBatches.permutation(n, new SplittableRandom(seed));
    return new BatchSampler() {
      private int next;

      @Override
      public int[] next() {
        int m = next++;
        return Arrays.copyOfRange(order, m * n / parts, (m + 1) * n / parts);
      }

      @Override
      public int size() {
        return n;
      }

      @Override
      public double sampleRate() {
        return 1.0 / parts;
      }
    };
  }

  @Override
  public Minibatch batch(int[] rows) {
    int b = rows.length;
    int seqLen = graph.seqLen();
    List<int[]> prompts = new ArrayList<>(b);
    List<int[]> responses = new ArrayList<>(b);
    for (int i : rows) {
      prompts.add(rollout.promptTokens().get(i));
      responses.add(rollout.responses().get(i));
    }
    int[][][] io = RolloutSequences.inputsAndTargets(prompts, responses, seqLen, padId);
    float[][] mask = new float[b][seqLen];
    float[][] oldLogp = new float[b][seqLen];
    float[][] advantages = new float[b][seqLen];
    float[][] oldValues = new float[b][seqLen];
    float[][] returns = new float[b][seqLen];
    long tokens = 0;
    for (int k = 0; k < b; k++) {
      int i = rows[k];
      int offset = prompts.get(k).length - 1;
      for (int j = 0; j < responses.get(k).length; j++) {
        mask[k][offset + j] = 1;
        oldLogp[k][offset + j] = (float) rollout.logprobs()[i][j];
        advantages[k][offset + j] = (float) rollout.advantages()[i][j];
        oldValues[k][offset + j] = (float) rollout.values()[i][j];
        returns[k][offset + j] = (float) rollout.returns()[i][j];
        tokens++;
      }
    }
    Map<String, INDArray> ph = new HashMap<>();
    ph.put("tokens", Nd4j.createFromArray(io[0]));
    ph.put("targets", Nd4j.createFromArray(io[1]));
    ph.put("mask", Nd4j.createFromArray(mask));
    ph.put("old_logp", Nd4j.createFromArray(oldLogp));
    ph.put("advantages", Nd4j.createFromArray(advantages));
    if (hasValueHead) {
      ph.put("old_values", Nd4j.createFromArray(oldValues));
      ph.put("returns", Nd4j.createFromArray(returns));
    }
    return new Minibatch(rows, ph, tokens);
  }

  @Override
  public TrainingLoop.Gradients gradients(Minibatch batch) {
    TransformerGraph.Gradients g = graph.gradients(batch.placeholders());
    last = measure(batch.rows(), g);
    return new TrainingLoop.Gradients(g.outputs().get(PpoGraph.LOSS).getDouble(0), g.byWeight(), batch.tokens(),
        batch.tokens());
  }

  /** Policy loss, value loss, clip fraction, approximate KL and entropy of the rows from the graph's outputs. */
  private double[] measure(int[] rows, TransformerGraph.Gradients g) {
    int b = rows.length;
    int width = rollout.mask()[0].length;
    float[][] newLogp = g.outputs().get(PpoGraph.LOGP).toFloatMatrix();
    float[][] newEntropy = g.outputs().get(PpoGraph.ENTROPY).toFloatMatrix();
    float[][] newValues = hasValueHead ? g.outputs().get(PpoGraph.VALUES).toFloatMatrix() : null;
    double[][] lp = new double[b][width];
    double[][] old = new double[b][width];
    double[][] adv = new double[b][width];
    double[][] mk = new double[b][width];
    double[][] ent = new double[b][width];
    double[][] v = new double[b][width];
    double[][] oldV = new double[b][width];
    double[][] ret = new double[b][width];
    for (int k = 0; k < b; k++) {
      int i = rows[k];
      int offset = rollout.promptTokens().get(i).length - 1;
      for (int j = 0; j < rollout.responses().get(i).length; j++) {
        lp[k][j] = newLogp[k][offset + j];
        ent[k][j] = newEntropy[k][offset + j];
        v[k][j] = newValues == null ? 0 : newValues[k][offset + j];
        old[k][j] = rollout.logprobs()[i][j];
        adv[k][j] = rollout.advantages()[i][j];
        oldV[k][j] = rollout.values()[i][j];
        ret[k][j] = rollout.returns()[i][j];
        mk[k][j] = 1;
      }
    }
    PolicyLoss.Result pl = policyLoss.compute(lp, old, adv, mk);
    double vl = hasValueHead ? valueLoss.compute(v, oldV, ret, mk).loss() : 0;
    return new double[] {pl.tokenMeanLoss(), vl, pl.clipFraction(), pl.approxKl(), Rollouts.maskedMean(ent, mk)};
  }

  @Override
  public void afterStep(Minibatch batch, TrainingLoop.Gradients g, StepMetrics metrics) {
    for (int k = 0; k < sums.length; k++) {
      sums[k] += last[k];
    }
    steps++;
  }

  @Override
  public boolean finished() {
    return last[3] > targetKl;
  }

  /** The epoch's means over the minibatches it ran. */
  PpoEpochStats stats() {
    return new PpoEpochStats(sums[0] / steps, sums[1] / steps, sums[2] / steps, sums[3] / steps, sums[4] / steps,
        steps, finished());
  }
}
