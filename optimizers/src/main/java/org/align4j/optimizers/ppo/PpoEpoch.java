package org.align4j.optimizers.ppo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.dp.BatchGradients;
import org.align4j.core.train.BatchSampler;
import org.align4j.core.train.ShuffledBatches;
import org.align4j.core.train.StepMetrics;
import org.align4j.core.train.TrainingLoop;
import org.align4j.optimizers.rl.PolicyLoss;
import org.align4j.optimizers.rl.Rollouts;
import org.align4j.optimizers.rl.ValueLoss;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One PPO epoch as the {@link TrainingLoop}'s objective: each batch is a minibatch of a rollout's completions and
 * its gradients are those of {@link PolicyRolloutLoss}'s batch loss over them ({@link BatchGradients}: the clipped
 * policy loss plus {@code vfCoef} times the clipped value loss minus {@code entropyCoef} times the entropy, token
 * means over the minibatch; on the hand-written passes when the model's architecture has them). The policy loss,
 * value loss, clip fraction, approximate KL and entropy of every minibatch are measured from the loss's outputs of
 * the same pass (before its update) and summed for {@link #stats}, and the epoch ends after a minibatch whose
 * approximate KL exceeds the target KL.
 */
final class PpoEpoch implements TrainingLoop.Objective<PpoEpoch.Minibatch> {

  /** A minibatch: its rows of the rollout, those completions as examples and its response tokens. */
  record Minibatch(int[] rows, List<RolloutGroup> completions, long tokens) {}

  private final PpoRollout rollout;
  private final List<RolloutGroup> completions;
  private final BatchGradients<RolloutGroup> gradients;
  private final PolicyLoss policyLoss;
  private final ValueLoss valueLoss;
  private final boolean hasValueHead;
  private final double targetKl;
  private final double[] sums = new double[5];
  private double[] last;
  private int steps;

  /**
   * @param gradients the batch gradients of {@link PolicyRolloutLoss#perCompletion} over the policy and the value
   *     head
   */
  PpoEpoch(PpoRollout rollout, BatchGradients<RolloutGroup> gradients, PolicyLoss policyLoss, ValueLoss valueLoss,
      boolean hasValueHead, double targetKl) {
    this.rollout = rollout;
    this.completions = RolloutGroup.perPrompt(rollout, 1);
    this.gradients = gradients;
    this.policyLoss = policyLoss;
    this.valueLoss = valueLoss;
    this.hasValueHead = hasValueHead;
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
    List<RolloutGroup> batch = new ArrayList<>(rows.length);
    long tokens = 0;
    for (int i : rows) {
      batch.add(completions.get(i));
      tokens += rollout.responses().get(i).length;
    }
    return new Minibatch(rows, batch, tokens);
  }

  @Override
  public TrainingLoop.Gradients gradients(Minibatch batch) {
    BatchGradients.Result g = gradients.compute(batch.completions());
    last = measure(batch.rows(), g.outputs());
    return new TrainingLoop.Gradients(g.loss(), g.gradients(), batch.tokens(), batch.tokens());
  }

  /** Policy loss, value loss, clip fraction, approximate KL and entropy of the rows from the loss's outputs. */
  private double[] measure(int[] rows, Map<String, INDArray> outputs) {
    int b = rows.length;
    int width = rollout.mask()[0].length;
    float[][] newLogp = outputs.get(PolicyRolloutLoss.LOG_PROBS).toFloatMatrix();
    float[][] newEntropy = outputs.get(PolicyRolloutLoss.ENTROPIES).toFloatMatrix();
    float[][] newValues = hasValueHead ? outputs.get(PolicyRolloutLoss.VALUES).toFloatMatrix() : null;
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
