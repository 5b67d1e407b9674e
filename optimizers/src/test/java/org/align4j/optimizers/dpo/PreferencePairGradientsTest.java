package org.align4j.optimizers.dpo;

import static org.align4j.core.dp.DpFixtures.assertPathMatchesLoop;

import java.util.Map;
import org.align4j.core.dp.DpFixtures;
import org.align4j.core.dp.GradientPath;
import org.align4j.core.model.TransformerLm;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.align4j.optimizers.preference.PreferenceLossType;
import org.junit.jupiter.api.Test;

/**
 * The hand-written path (({@link GradientPath#BACKPROP})) for DPO and IPO, against the obvious computation
 * ({@link DpFixtures#assertPathMatchesLoop}): each example's gradient from its own SameDiff pass through the whole
 * graph ({@link GradientPath#LOOP}, one example at a time), its norm, its clip factor, and the sum of the clipped
 * gradients, flat and per layer, over physical batches that split the examples unevenly. (PPO's rollout loss is
 * checked the same way in {@code PrivatePpoTest}, the reward model's pair loss in the reward model's
 * {@code PairGradientsTest}.)
 */
class PreferencePairGradientsTest {

  @Test
  void dpoPairsMatchTheOneByOneComputation() {
    TransformerLm model = DpFixtures.model(41);
    PreferencePairLoss loss = new PreferencePairLoss(PreferenceLoss.builder().beta(2).build());
    assertPathMatchesLoop(GradientPath.LOOP.build(model.weights(), Map.of(), loss, DpFixtures.CONTEXT, 1, false),
        GradientPath.BACKPROP.build(model.weights(), Map.of(), loss, DpFixtures.CONTEXT, 3, false),
        PolicyPairs.random(7, 5));
  }

  @Test
  void ipoPairsMatchTheOneByOneComputation() {
    TransformerLm model = DpFixtures.model(43);
    PreferencePairLoss loss =
        new PreferencePairLoss(PreferenceLoss.builder().type(PreferenceLossType.IPO).beta(0.5).build());
    assertPathMatchesLoop(GradientPath.LOOP.build(model.weights(), Map.of(), loss, DpFixtures.CONTEXT, 1, false),
        GradientPath.BACKPROP.build(model.weights(), Map.of(), loss, DpFixtures.CONTEXT, 4, false),
        PolicyPairs.random(6, 9));
  }
}
