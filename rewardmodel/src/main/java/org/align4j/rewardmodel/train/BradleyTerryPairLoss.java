package org.align4j.rewardmodel.train;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.align4j.core.dp.ExampleGraph;
import org.align4j.core.dp.PerExampleLoss;
import org.align4j.core.util.Args;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Bradley-Terry loss of one preference pair, {@code -log sigmoid(r_c - r_r - m)}, where a reward is the scalar
 * head (an extra [d, 1] parameter of the engine) applied to the final hidden state at a sequence's last token, plus,
 * with a centring coefficient {@code c > 0}, the pair's centring term {@code c · (r_c + r_r)²} (its batch mean is
 * TRL's {@code center_rewards_coefficient} term). A pair occupies two graph rows (chosen, then rejected;
 * {@link #rowsPerExample()} = 2), so its gradient, the unit DP-SGD clips, covers both sequences. The log-sigmoid is
 * the stable {@code (z - |z|)/2 - log1p(exp(-|z|))}, finite everywhere and with the right gradient at 0. This one
 * objective serves both plain training (its batch mean) and DP-SGD.
 *
 * <p>The head's bias cancels in {@code r_c - r_r}; only the centring term reads it (the extra parameter
 * {@code bias}, read directly, which per-example clipping does not cover: centring is plain training only).
 *
 * <p>Placeholders: {@code tokens} (INT [2B, T]), {@code rm_pick} (FLOAT [2B, T]: +1 at the chosen row's last
 * token, -1 at the rejected row's, so the picked sum is {@code r_c - r_r}), {@code rm_margin} and
 * {@code rm_valid} (FLOAT [B]; valid is 0 on padding pairs, whose loss is then exactly 0).
 */
public final class BradleyTerryPairLoss implements PerExampleLoss<RewardPair> {

  private final String head;
  private final String bias;
  private final double centerCoefficient;

  /** The loss without centring on the extra parameter {@code head} ([d, 1]). */
  public BradleyTerryPairLoss(String head) {
    this(head, null, 0.0);
  }

  /**
   * The loss with centring coefficient {@code centerCoefficient} on the extra parameters {@code head} ([d, 1]) and
   * {@code bias} (read only when {@code centerCoefficient > 0}; may then not be null).
   */
  public BradleyTerryPairLoss(String head, String bias, double centerCoefficient) {
    this.head = Objects.requireNonNull(head, "head");
    Args.nonNegative("centerCoefficient", centerCoefficient);
    Args.finite("centerCoefficient", centerCoefficient);
    Args.check(centerCoefficient == 0 || bias != null, "bias must be named when centerCoefficient > 0");
    this.bias = bias;
    this.centerCoefficient = centerCoefficient;
  }

  @Override
  public SDVariable build(ExampleGraph graph) {
    SameDiff sd = graph.sameDiff();
    int t = graph.seqLen();
    SDVariable pick = sd.placeHolder("rm_pick", DataType.FLOAT, -1, t);
    SDVariable margin = sd.placeHolder("rm_margin", DataType.FLOAT, -1);
    SDVariable valid = sd.placeHolder("rm_valid", DataType.FLOAT, -1);
    SDVariable values = sd.reshape(graph.head(head), -1, t);
    // each pair's two rows side by side, [B, 2T]: the signed pick sums to r_c - r_r
    SDVariable diff = sd.sum(sd.reshape(values.mul(pick), -1, 2 * t), 1);
    SDVariable z = diff.sub(margin);
    SDVariable absZ = sd.math.abs(z);
    SDVariable logSigmoid = z.sub(absZ).mul(0.5).sub(sd.math.log1p(sd.math.exp(absZ.neg())));
    SDVariable loss = logSigmoid.neg();
    if (centerCoefficient > 0) {
      // r_c + r_r: the head outputs picked without sign, plus the bias twice
      SDVariable sum = sd.sum(sd.reshape(values.mul(sd.math.abs(pick)), -1, 2 * t), 1)
          .add(sd.reshape(graph.parameter(bias), -1).mul(2.0));
      loss = loss.add(sd.math.square(sum).mul(centerCoefficient));
    }
    return loss.mul(valid);
  }

  @Override
  public int rowsPerExample() {
    return 2;
  }

  @Override
  public Map<String, INDArray> placeholders(List<RewardPair> examples, int rows, int seqLen) {
    Args.check(rows >= examples.size(), "rows must be >= %s, got %s", examples.size(), rows);
    int[][] tokens = new int[2 * rows][seqLen];
    float[][] pick = new float[2 * rows][seqLen];
    float[] margin = new float[rows];
    float[] valid = new float[rows];
    for (int i = 0; i < examples.size(); i++) {
      RewardPair p = examples.get(i);
      Args.check(p.length() <= seqLen, "pair needs %s tokens but the graph holds %s", p.length(), seqLen);
      System.arraycopy(p.chosen(), 0, tokens[2 * i], 0, p.chosen().length);
      System.arraycopy(p.rejected(), 0, tokens[2 * i + 1], 0, p.rejected().length);
      pick[2 * i][p.chosen().length - 1] = 1f;
      pick[2 * i + 1][p.rejected().length - 1] = -1f;
      margin[i] = (float) p.margin();
      valid[i] = 1f;
    }
    return Map.of(
        "tokens", Nd4j.createFromArray(tokens),
        "rm_pick", Nd4j.createFromArray(pick),
        "rm_margin", Nd4j.createFromArray(margin),
        "rm_valid", Nd4j.createFromArray(valid));
  }

  @Override
  public int inputLength(RewardPair example) {
    return example.length();
  }
}
