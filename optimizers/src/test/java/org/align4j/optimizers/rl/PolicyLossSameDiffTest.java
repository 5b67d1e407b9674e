package org.align4j.optimizers.rl;

import static org.align4j.optimizers.preference.RlhfVectors.assertClose;
import static org.align4j.optimizers.preference.RlhfVectors.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.align4j.optimizers.preference.RlhfVectors;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The SameDiff policy loss equals the float64 form and its gradient matches finite differences. */
class PolicyLossSameDiffTest {

  @Test
  void matchesFloat64FormAndFiniteDifferences() {
    JsonNode in = RlhfVectors.root().get("ppo_policy_loss").get(0).get("inputs");
    double[][] logp = matrix(in.get("logprobs"));
    double[][] old = matrix(in.get("old_logprobs"));
    double[][] adv = matrix(in.get("advantages"));
    double[][] mask = matrix(in.get("mask"));
    for (PolicyLoss policy : new PolicyLoss[] {PolicyLoss.clipped(0.2), PolicyLoss.clipped(0.2, 0.28),
        PolicyLoss.clipped(0.2).withDualClip(3.0)}) {
      SameDiff sd = SameDiff.create();
      SDVariable lp = sd.var("logp", Nd4j.createFromArray(logp));
      SDVariable loss = policy.loss(sd, lp, sd.constant(Nd4j.createFromArray(old)),
          sd.constant(Nd4j.createFromArray(adv)), sd.constant(Nd4j.createFromArray(mask)));
      sd.setLossVariables(loss);
      double value = sd.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
      assertClose("value", value, policy.compute(logp, old, adv, mask).tokenMeanLoss());
      INDArray grad = sd.calculateGradients(Map.of(), "logp").get("logp");
      for (int b = 0; b < logp.length; b++) {
        for (int t = 0; t < logp[b].length; t++) {
          double h = 1e-7;
          double[][] up = copy(logp);
          double[][] down = copy(logp);
          up[b][t] += h;
          down[b][t] -= h;
          double fd = (policy.compute(up, old, adv, mask).tokenMeanLoss()
              - policy.compute(down, old, adv, mask).tokenMeanLoss()) / (2 * h);
          assertClose("dL/dlogp[" + b + "][" + t + "]", grad.getDouble(b, t), fd, 1e-6, 1e-8);
        }
      }
    }
  }

  private static double[][] copy(double[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i].clone();
    }
    return out;
  }
}
