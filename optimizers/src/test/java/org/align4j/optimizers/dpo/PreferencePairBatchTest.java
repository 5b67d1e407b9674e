package org.align4j.optimizers.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.dp.BatchGradients;
import org.align4j.core.dp.DpFixtures;
import org.align4j.core.model.TransformerLm;
import org.align4j.optimizers.preference.PreferenceBatch;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.align4j.optimizers.preference.PreferenceLossType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The plain DPO step's objective, the batch form of {@link PreferencePairLoss}: its loss is the float64
 * {@link PreferenceLoss#mean} of the policy's own sums (the NLL term over the whole batch included), its outputs are
 * those sums, and its gradient agrees with a central finite difference of that loss along the gradient.
 */
class PreferencePairBatchTest {

  @Test
  void batchLossOutputsAndGradientMatchTheFloat64FormulaAndFiniteDifferences() {
    for (PreferenceLoss loss : List.of(PreferenceLoss.builder().beta(0.5).nllWeight(0.3).build(),
        PreferenceLoss.builder().type(PreferenceLossType.IPO).beta(0.5).build())) {
      TransformerLm policy = DpFixtures.model(17);
      List<PolicyPair> pairs = PolicyPairs.random(5, 3);
      BatchGradients<PolicyPair> step =
          BatchGradients.create(policy.weights(), Map.of(), new PreferencePairLoss(loss), DpFixtures.CONTEXT, false);
      BatchGradients.Result g = step.compute(pairs);

      List<EncodedPair> encoded =
          pairs.stream().map(p -> new EncodedPair(p.chosen(), p.rejected(), p.responseStart())).toList();
      ResponseLogProbs own = ResponseLogProbs.compute(policy, encoded);
      double expected = loss.mean(new PreferenceBatch(own.chosen(), own.rejected(),
          pairs.stream().mapToDouble(PolicyPair::referenceChosen).toArray(),
          pairs.stream().mapToDouble(PolicyPair::referenceRejected).toArray(),
          pairs.stream().mapToInt(PolicyPair::chosenTokens).toArray(),
          pairs.stream().mapToInt(PolicyPair::rejectedTokens).toArray()));
      assertThat(g.loss()).as("%s", loss.type()).isCloseTo(expected, within(1e-5 * Math.max(1, expected)));
      assertThat(g.outputs().get(PreferencePairLoss.CHOSEN).toDoubleVector()).containsExactly(own.chosen(),
          within(1e-4));
      assertThat(g.outputs().get(PreferencePairLoss.REJECTED).toDoubleVector()).containsExactly(own.rejected(),
          within(1e-4));

      // along the unit gradient direction u, (L(w + eps u) - L(w - eps u)) / (2 eps) is the gradient's norm
      double norm = 0;
      for (INDArray v : g.gradients().values()) {
        norm += v.norm2Number().doubleValue() * v.norm2Number().doubleValue();
      }
      norm = Math.sqrt(norm);
      Map<String, INDArray> direction = new LinkedHashMap<>();
      for (Map.Entry<String, INDArray> e : g.gradients().entrySet()) {
        direction.put(e.getKey(), e.getValue().div(norm));
      }
      double eps = 1e-2;
      move(policy, direction, eps);
      double plus = step.compute(pairs).loss();
      move(policy, direction, -2 * eps);
      double minus = step.compute(pairs).loss();
      assertThat((plus - minus) / (2 * eps)).as("%s directional derivative", loss.type())
          .isCloseTo(norm, within(0.02 * norm));
      assertThat(norm).isGreaterThan(1e-2);
    }
  }

  private static void move(TransformerLm policy, Map<String, INDArray> direction, double by) {
    direction.forEach((name, d) -> policy.weights().get(name).addi(d.mul(by)));
  }
}
