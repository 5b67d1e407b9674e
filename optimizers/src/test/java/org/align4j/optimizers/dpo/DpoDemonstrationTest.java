package org.align4j.optimizers.dpo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.align4j.optimizers.preference.PreferenceLossType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DPO and IPO on a synthetic preference task (chosen responses start with "yes", rejected ones with "no!") move the
 * policy toward the chosen responses on held-out prompts, and leave the reference model untouched.
 */
class DpoDemonstrationTest {

  @ParameterizedTest
  @EnumSource(value = PreferenceLossType.class, names = {"SIGMOID", "IPO"})
  void movesThePolicyTowardTheChosenResponsesAndLeavesTheReferenceAlone(PreferenceLossType type) {
    TransformerLm policy = PreferenceTasks.model(5);
    TransformerLm reference = policy.copy();
    TransformerWeights referenceBefore = reference.weights().copy();
    List<DpoStepMetrics> steps = new ArrayList<>();
    List<DpoEvalMetrics> evaluations = new ArrayList<>();
    DpoListener listener = new DpoListener() {
      @Override
      public void onDpoStep(DpoStepMetrics metrics) {
        steps.add(metrics);
      }

      @Override
      public void onDpoEvaluation(DpoEvalMetrics metrics) {
        evaluations.add(metrics);
      }
    };
    DpoConfig config = DpoConfig.builder()
        .loss(PreferenceLoss.builder().type(type).beta(0.5).build())
        .batchSize(4).maxSteps(4).learningRate(3e-2).evalEvery(2).seed(2).build();
    DpoResult result = new DpoTrainer(config, listener).train(policy, reference,
        PreferenceTasks.pairs("train", 8, 1), PreferenceTasks.pairs("eval", 8, 2));

    assertThat(result.steps()).isEqualTo(4);
    assertThat(steps).isEqualTo(result.history());
    assertThat(evaluations).isEqualTo(result.evaluations());
    assertThat(result.evaluations()).extracting(DpoEvalMetrics::step).containsExactly(0L, 2L, 4L);
    DpoEvalMetrics before = result.evaluations().get(0);
    DpoEvalMetrics after = result.lastEvaluation().orElseThrow();
    assertThat(before.preference().margin()).isZero();
    assertThat(after.preference().accuracy()).isEqualTo(1.0);
    assertThat(after.loss()).isLessThan(before.loss() / 2);
    assertThat(after.preference().rewardsChosen()).isGreaterThan(0.2);
    assertThat(after.preference().margin()).isGreaterThan(0.5);
    assertThat(after.preference().logpsChosen()).isGreaterThan(before.preference().logpsChosen());
    assertThat(result.history().get(3).preference().accuracy()).isEqualTo(1.0);
    assertThat(result.model().weights()).isSameAs(policy.weights());
    assertThat(result.model().provenance().steps()).isEqualTo(4);
    assertThat(result.model().provenance().dataName()).isEqualTo("train");
    DpoTrainerTest.assertSameWeights(reference.weights(), referenceBefore);
  }
}
