package org.align4j.optimizers.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import org.align4j.core.model.TransformerLm;
import org.junit.jupiter.api.Test;

/** The critic-free estimators: four completions per prompt, no value head, on the lowercase-letter task. */
class GroupPpoTest {

  @Test
  void grpoRaisesTheMeanReward() {
    assertRaisesReward(AdvantageEstimator.GRPO, 0.0);
  }

  @Test
  void rlooRaisesTheMeanRewardWithTheKlInTheReward() {
    assertRaisesReward(AdvantageEstimator.RLOO, 0.01);
  }

  private static void assertRaisesReward(AdvantageEstimator estimator, double klCoef) {
    TransformerLm policy = PpoFixtures.model(24, 1);
    TransformerLm initial = policy.copy();
    double before = PpoFixtures.meanReward(policy, PpoFixtures.LOWERCASE, 8, 6);
    PpoConfig config = PpoConfig.builder().advantageEstimator(estimator).iterations(6).batchSize(8)
        .responseLength(6).temperature(1.0).learningRate(0.04).klCoef(klCoef).seed(5).build();
    assertThat(config.samplesPerPrompt()).isEqualTo(4);
    PpoResult result = new PpoTrainer(config, PpoFixtures.LOWERCASE).train(policy, PpoFixtures.PROMPTS);
    double after = PpoFixtures.meanReward(result.policy(), PpoFixtures.LOWERCASE, 8, 6);
    assertThat(after).as(estimator + " reward before %f, after %f", before, after).isGreaterThan(before + 0.2);
    assertThat(result.valueHead()).isEmpty();
    assertThat(result.history()).allSatisfy(m -> {
      assertThat(m.valueLoss()).isZero();
      assertThat(m.klCoef()).isEqualTo(klCoef);
      assertThat(m.steps()).isEqualTo(4);
    });
    assertThat(PpoFixtures.sameWeights(result.reference(), initial)).isTrue();
  }
}
