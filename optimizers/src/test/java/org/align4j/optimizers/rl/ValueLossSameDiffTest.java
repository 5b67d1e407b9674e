package org.align4j.optimizers.rl;

import static org.align4j.optimizers.preference.RlhfVectors.assertClose;
import static org.align4j.optimizers.preference.RlhfVectors.matrix;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.align4j.optimizers.preference.RlhfVectors;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The SameDiff value loss equals the float64 form (and the reference value) and its gradient is right. */
class ValueLossSameDiffTest {

  @Test
  void matchesFloat64FormReferenceAndFiniteDifferences() {
    JsonNode c = RlhfVectors.root().get("ppo_policy_loss").get(0);
    JsonNode v = c.get("value");
    double[][] values = matrix(v.get("values"));
    double[][] old = matrix(v.get("old_values"));
    double[][] returns = matrix(v.get("returns"));
    double[][] mask = matrix(c.get("inputs").get("mask"));
    double range = v.get("cliprange_value").asDouble();
    for (ValueLoss valueLoss : new ValueLoss[] {ValueLoss.clipped(range), ValueLoss.unclipped()}) {
      SameDiff sd = SameDiff.create();
      SDVariable x = sd.var("values", Nd4j.createFromArray(values));
      SDVariable loss = valueLoss.loss(sd, x, sd.constant(Nd4j.createFromArray(old)),
          sd.constant(Nd4j.createFromArray(returns)), sd.constant(Nd4j.createFromArray(mask)));
      sd.setLossVariables(loss);
      double value = sd.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
      assertClose("value", value, valueLoss.compute(values, old, returns, mask).loss());
      INDArray grad = sd.calculateGradients(Map.of(), "values").get("values");
      for (int b = 0; b < values.length; b++) {
        for (int t = 0; t < values[b].length; t++) {
          double h = 1e-7;
          double[][] up = copy(values);
          double[][] down = copy(values);
          up[b][t] += h;
          down[b][t] -= h;
          double fd = (valueLoss.compute(up, old, returns, mask).loss()
              - valueLoss.compute(down, old, returns, mask).loss()) / (2 * h);
          assertClose("dL/dV[" + b + "][" + t + "]", grad.getDouble(b, t), fd, 1e-6, 1e-8);
        }
      }
    }
    assertClose("reference vf_loss", ValueLoss.clipped(range).compute(values, old, returns, mask).loss(),
        v.get("vf_loss").asDouble());
  }

  @Test
  void gradientIsNotDoubledInsideTheClipRange() {
    // V = V_old: the clipped and unclipped terms tie; dL/dV must be (V - R) / n, not twice that.
    double[][] values = {{0.5, -1.0}};
    double[][] returns = {{1.5, 0.0}};
    double[][] mask = {{1, 1}};
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.var("values", Nd4j.createFromArray(values));
    SDVariable loss = ValueLoss.clipped(0.2).loss(sd, x, sd.constant(Nd4j.createFromArray(values)),
        sd.constant(Nd4j.createFromArray(returns)), sd.constant(Nd4j.createFromArray(mask)));
    sd.setLossVariables(loss);
    INDArray grad = sd.calculateGradients(Map.of(), "values").get("values");
    assertThat(grad.getDouble(0, 0)).isCloseTo(-0.5, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(grad.getDouble(0, 1)).isCloseTo(-0.5, org.assertj.core.data.Offset.offset(1e-12));
  }

  private static double[][] copy(double[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i].clone();
    }
    return out;
  }
}
