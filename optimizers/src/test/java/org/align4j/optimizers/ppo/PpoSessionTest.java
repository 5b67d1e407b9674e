package org.align4j.optimizers.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.train.StepMetrics;
import org.align4j.core.train.TrainingListener;
import org.align4j.optimizers.rl.GroupAdvantages;
import org.align4j.optimizers.rl.KlEstimator;
import org.junit.jupiter.api.Test;

/** The stages of an iteration run one at a time, early stopping, and seeded reproducibility. */
class PpoSessionTest {

  private static final List<String> PROMPTS = List.of("x", "hello", "q", "ab ");

  private static PpoConfig.Builder small() {
    return PpoConfig.builder().iterations(2).batchSize(4).responseLength(4).temperature(1.0).learningRate(0.01)
        .klEstimator(KlEstimator.K3).seed(7);
  }

  @Test
  void aRolloutCarriesRewardsKlAndWhitenedAdvantages() {
    TransformerLm policy = PpoFixtures.model(16, 2);
    PpoConfig config = small().missingEosPenalty(0.5).klCoef(0.1).build();
    PpoSession session = new PpoTrainer(config, PpoFixtures.ASCII).session(policy, policy.copy(), PROMPTS);
    PpoRollout r = session.rollout(PROMPTS, 11);
    assertThat(r.size()).isEqualTo(4);
    assertThat(r.prompts()).isEqualTo(PROMPTS);
    double[] expectedScores = PpoFixtures.ASCII.score(r.prompts(), r.responseTexts());
    assertThat(r.scores()).containsExactly(expectedScores);
    double sum = 0;
    double squares = 0;
    int tokens = 0;
    for (int i = 0; i < r.size(); i++) {
      int len = r.responses().get(i).length;
      assertThat(len).isBetween(1, 4);
      assertThat(r.endedWithEos()[i]).isEqualTo(r.responses().get(i)[len - 1] == policy.tokenizer().eosId());
      double rowReward = 0;
      for (int j = 0; j < r.mask()[i].length; j++) {
        assertThat(r.mask()[i][j]).isEqualTo(j < len ? 1.0 : 0.0);
        // A reference equal to the policy: every KL estimate is 0 and log-probabilities agree.
        assertThat(r.kl()[i][j]).isZero();
        assertThat(r.refLogprobs()[i][j]).isEqualTo(r.logprobs()[i][j]);
        assertThat(r.values()[i][j]).isZero();
        if (j < len) {
          assertThat(r.logprobs()[i][j]).isNegative();
          sum += r.advantages()[i][j];
          squares += r.advantages()[i][j] * r.advantages()[i][j];
          tokens++;
        } else {
          assertThat(r.advantages()[i][j]).isZero();
        }
        rowReward += r.rewards()[i][j];
      }
      double penalty = r.endedWithEos()[i] ? 0 : 0.5;
      assertThat(rowReward).isCloseTo(r.scores()[i] - penalty, within(1e-12));
    }
    double mean = sum / tokens;
    assertThat(mean).isCloseTo(0, within(1e-9));
    assertThat((squares - tokens * mean * mean) / (tokens - 1)).isCloseTo(1, within(1e-4));
    assertThat(r.meanSequenceKl()).isZero();
    assertThat(r.klCoef()).isEqualTo(0.1);
    assertThat(r.entropy()).isBetween(0.0, Math.log(257));
  }

  @Test
  void oneEpochPerRolloutStartsFromRatioOne() {
    TransformerLm policy = PpoFixtures.model(16, 2);
    PpoConfig config = small().ppoEpochs(1).build();
    PpoSession session = new PpoTrainer(config, PpoFixtures.ASCII).session(policy, policy.copy(), PROMPTS);
    PpoRollout r = session.rollout(PROMPTS, 3);
    PpoEpochStats first = session.epoch(r, 1);
    assertThat(first.steps()).isEqualTo(1);
    assertThat(first.approxKl()).isLessThan(1e-12);
    assertThat(first.clipFraction()).isZero();
    assertThat(first.stoppedEarly()).isFalse();
    PpoEpochStats second = session.epoch(r, 2);
    assertThat(second.approxKl()).isPositive();
    assertThat(session.steps()).isEqualTo(2);
    PpoMetrics m = session.iterate(PROMPTS, 1);
    assertThat(m.epochs()).isEqualTo(1);
    assertThat(m.steps()).isEqualTo(1);
    assertThat(session.steps()).isEqualTo(3);
  }

  @Test
  void listenersHearTheSessionsStartEveryStepNumberedOnAndItsEndOnce() {
    List<String> events = new ArrayList<>();
    TrainingListener recorder = new TrainingListener() {
      @Override
      public void onStart(long totalSteps) {
        events.add("start " + totalSteps);
      }

      @Override
      public void onStep(StepMetrics m) {
        events.add("step " + m.step() + "/" + m.totalSteps() + " lr " + m.learningRate());
      }

      @Override
      public void onEnd() {
        events.add("end");
      }
    };
    TransformerLm policy = PpoFixtures.model(16, 2);
    PpoConfig config = small().iterations(1).ppoEpochs(1).miniBatches(2).learningRate(0.02).build();
    PpoSession session =
        new PpoTrainer(config, PpoFixtures.ASCII, recorder).session(policy, policy.copy(), PROMPTS);
    assertThat(events).containsExactly("start 2");
    PpoRollout r = session.rollout(PROMPTS, 3);
    session.epoch(r, 1);
    session.epoch(r, 2);
    session.end();
    session.end();
    // a constant learning rate, and steps beyond the planned two report themselves as the total
    assertThat(events).containsExactly("start 2", "step 1/2 lr 0.02", "step 2/2 lr 0.02", "step 3/3 lr 0.02",
        "step 4/4 lr 0.02", "end");
  }

  @Test
  void stopsTheEpochsEarlyWhenApproximateKlPassesTheTarget() {
    TransformerLm policy = PpoFixtures.model(16, 2);
    PpoConfig config = small().iterations(1).ppoEpochs(4).miniBatches(4).targetKl(1e-9).build();
    PpoResult result = new PpoTrainer(config, PpoFixtures.ASCII).train(policy, PROMPTS);
    PpoMetrics m = result.last();
    assertThat(m.stoppedEarly()).isTrue();
    assertThat(m.epochs()).isEqualTo(1);
    assertThat(m.steps()).isEqualTo(2);
    assertThat(result.steps()).isEqualTo(2);
  }

  @Test
  void theSameSeedGivesTheSameRun() {
    PpoConfig config = small().miniBatches(2).ppoEpochs(2).entropyCoef(0.01).build();
    PpoResult a = new PpoTrainer(config, PpoFixtures.ASCII).train(PpoFixtures.model(16, 2), PROMPTS);
    PpoResult b = new PpoTrainer(config, PpoFixtures.ASCII).train(PpoFixtures.model(16, 2), PROMPTS);
    PpoResult c = new PpoTrainer(small().miniBatches(2).ppoEpochs(2).entropyCoef(0.01).seed(8).build(),
        PpoFixtures.ASCII).train(PpoFixtures.model(16, 2), PROMPTS);
    assertThat(PpoFixtures.sameWeights(a.policy(), b.policy())).isTrue();
    assertThat(a.valueHead().get("value_head.w")).isEqualTo(b.valueHead().get("value_head.w"));
    for (int i = 0; i < a.history().size(); i++) {
      PpoMetrics x = a.history().get(i);
      PpoMetrics y = b.history().get(i);
      assertThat(new double[] {x.meanScore(), x.meanKl(), x.entropy(), x.clipFraction(), x.approxKl(),
          x.policyLoss(), x.valueLoss(), x.meanResponseLength(), x.klCoef()})
          .containsExactly(y.meanScore(), y.meanKl(), y.entropy(), y.clipFraction(), y.approxKl(), y.policyLoss(),
              y.valueLoss(), y.meanResponseLength(), y.klCoef());
    }
    assertThat(PpoFixtures.sameWeights(a.policy(), c.policy())).isFalse();
  }

  @Test
  void grpoDividesByTheGroupStandardDeviationPlusTheConfiguredEpsilon() {
    for (double eps : new double[] {GroupAdvantages.TRL_STD_EPSILON, GroupAdvantages.OPENRLHF_STD_EPSILON}) {
      TransformerLm policy = PpoFixtures.model(16, 2);
      PpoConfig config = small().advantageEstimator(AdvantageEstimator.GRPO).samplesPerPrompt(2).klCoef(0)
          .grpoStdEpsilon(eps).build();
      PpoSession session = new PpoTrainer(config, PpoFixtures.ASCII).session(policy, policy.copy(), PROMPTS);
      PpoRollout r = session.perPromptRollout(PROMPTS, 11);
      double[] sums = new double[r.size()];
      for (int i = 0; i < r.size(); i++) {
        for (double x : r.rewards()[i]) {
          sums[i] += x;
        }
      }
      int groups = 0;
      for (int g = 0; g + 1 < r.size(); g += 2) {
        double mean = (sums[g] + sums[g + 1]) / 2;
        double std = Math.abs(sums[g] - sums[g + 1]) / Math.sqrt(2);
        groups += std > 1e-3 ? 1 : 0;
        for (int i = g; i < g + 2; i++) {
          double expected = (sums[i] - mean) / (std + eps);
          for (int j = 0; j < r.mask()[i].length; j++) {
            assertThat(r.advantages()[i][j]).as("eps %s row %d", eps, i)
                .isCloseTo(expected * r.mask()[i][j], within(1e-12 * (1 + Math.abs(expected))));
          }
        }
      }
      assertThat(groups).as("groups whose rewards differ").isPositive();
    }
  }
}
