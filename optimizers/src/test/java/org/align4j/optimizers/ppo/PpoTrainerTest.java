package org.align4j.optimizers.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.align4j.core.model.TransformerLm;
import org.align4j.optimizers.rl.AdaptiveKlController;
import org.align4j.optimizers.rl.KlEstimator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PPO with a value head and GAE on a task with a known optimum (responses of lowercase letters): one seeded run
 * of eight iterations shared by the assertions.
 */
class PpoTrainerTest {

  private static final double KL_TARGET = 1.0;
  private static TransformerLm initial;
  private static PpoResult result;
  private static double rewardBefore;
  private static double rewardAfter;
  private static final List<PpoMetrics> HEARD = new ArrayList<>();
  private static long stepsHeard;

  @BeforeAll
  static void train() {
    TransformerLm policy = PpoFixtures.model(24, 1);
    initial = policy.copy();
    rewardBefore = PpoFixtures.meanReward(policy, PpoFixtures.LOWERCASE, 8, 6);
    PpoConfig config = PpoConfig.builder().iterations(8).batchSize(32).responseLength(6).temperature(1.0)
        .learningRate(0.03).adaptiveKl(0.05, KL_TARGET, 32).klEstimator(KlEstimator.K3).seed(3).build();
    PpoListener listener = new PpoListener() {
      @Override
      public void onStep(org.align4j.core.train.StepMetrics m) {
        stepsHeard++;
      }

      @Override
      public void onIteration(PpoMetrics m) {
        HEARD.add(m);
      }
    };
    result = new PpoTrainer(config, PpoFixtures.LOWERCASE, listener).train(policy, PpoFixtures.PROMPTS);
    rewardAfter = PpoFixtures.meanReward(result.policy(), PpoFixtures.LOWERCASE, 8, 6);
  }

  @Test
  void raisesTheMeanReward() {
    assertThat(rewardBefore).isBetween(0.02, 0.25);
    assertThat(rewardAfter).isGreaterThan(rewardBefore + 0.2);
    List<PpoMetrics> h = result.history();
    double first = (h.get(0).meanScore() + h.get(1).meanScore() + h.get(2).meanScore()) / 3;
    int n = h.size();
    double last = (h.get(n - 3).meanScore() + h.get(n - 2).meanScore() + h.get(n - 1).meanScore()) / 3;
    assertThat(last).isGreaterThan(first + 0.1);
  }

  @Test
  void adaptiveControllerRaisesTheCoefficientWhenKlExceedsTheTarget() {
    List<PpoMetrics> h = result.history();
    assertThat(h.get(0).meanKl()).isZero();
    boolean raised = false;
    for (int i = 0; i + 1 < h.size(); i++) {
      PpoMetrics now = h.get(i);
      double next = h.get(i + 1).klCoef();
      if (now.meanKl() > KL_TARGET) {
        assertThat(next).as("coefficient after iteration %d (KL %f)", i + 1, now.meanKl())
            .isGreaterThan(now.klCoef());
        raised = true;
      } else {
        assertThat(next).isLessThan(now.klCoef());
      }
    }
    assertThat(raised).as("KL exceeded the target at least once").isTrue();
    assertThat(result.klController()).isInstanceOf(AdaptiveKlController.class);
    assertThat(h).allSatisfy(m -> assertThat(m.meanKl()).isBetween(-1e-9, 20.0));
  }

  @Test
  void referenceIsFrozenAndPolicyMoved() {
    assertThat(PpoFixtures.sameWeights(result.reference(), initial)).isTrue();
    assertThat(PpoFixtures.sameWeights(result.policy(), initial)).isFalse();
    assertThat(result.valueHead()).containsOnlyKeys("value_head.w", "value_head.b");
    assertThat(result.valueHead().get("value_head.w").norm2Number().doubleValue()).isPositive();
  }

  @Test
  void reportsMetricsAndProvenance() {
    assertThat(result.history()).hasSize(8);
    assertThat(HEARD).isEqualTo(result.history());
    assertThat(result.steps()).isEqualTo(32).isEqualTo(stepsHeard);
    assertThat(result.policy().provenance().steps()).isEqualTo(32);
    assertThat(result.policy().provenance().dataSha256()).hasSize(64);
    assertThat(result.policy().provenance().lastStage().orElseThrow().kind()).isEqualTo("ppo");
    assertThat(result.policy().provenance().lastStage().orElseThrow().isPrivate()).isFalse();
    for (PpoMetrics m : result.history()) {
      assertThat(m.epochs()).isEqualTo(4);
      assertThat(m.steps()).isEqualTo(4);
      assertThat(m.stoppedEarly()).isFalse();
      assertThat(m.meanResponseLength()).isBetween(1.0, 6.0);
      assertThat(m.entropy()).isBetween(0.0, Math.log(259));
      assertThat(m.clipFraction()).isBetween(0.0, 1.0);
      assertThat(m.approxKl()).isNotNegative().isFinite();
      assertThat(m.valueLoss()).isPositive().isFinite();
      assertThat(m.policyLoss()).isFinite();
      assertThat(m.eosFraction()).isBetween(0.0, 1.0);
    }
  }
}
