package org.align4j.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrivacyPlannerTest {

  private static final double DELTA = 1e-6;

  @Test
  void stagesOnOneDataSetSplitEquallyAndComposeSequentially() {
    PrivacyPlan plan = PrivacyPlanner.builder()
        .total(3, DELTA)
        .stage("sft", 20_000, 200, 800, "d")
        .stage("reward", 20_000, 100, 400, "d")
        .stage("ppo", 20_000, 50, 300, "d")
        .build()
        .plan();
    assertThat(plan.stages()).hasSize(3);
    for (PrivacyPlan.StagePlan stage : plan.stages()) {
      assertThat(stage.share()).isEqualTo(1.0 / 3);
      assertThat(stage.targetEpsilon()).isEqualTo(1.0);
      assertThat(stage.delta()).isEqualTo(DELTA / 3);
      assertMatchesNoiseCalibration(stage);
    }
    double[] hand = handComposedRdp(plan.stages(), DELTA);
    double viaAccountant = new RdpAccountant()
        .add(plan.stages().get(0).noiseMultiplier(), 0.01, 800)
        .add(plan.stages().get(1).noiseMultiplier(), 0.005, 400)
        .add(plan.stages().get(2).noiseMultiplier(), 0.0025, 300)
        .epsilon(DELTA);
    assertThat(plan.ledgerEpsilon()).isCloseTo(hand[0], within(1e-12)).isCloseTo(viaAccountant, within(1e-12));
    PrivacyPlan.DataSetPlan d = plan.dataSets().get(0);
    assertThat(d.composition()).isEqualTo("sequential");
    assertThat(d.stages()).containsExactly("sft", "reward", "ppo");
    double sum = plan.stages().stream().mapToDouble(PrivacyPlan.StagePlan::epsilon).sum();
    assertThat(d.basicCompositionEpsilon()).isCloseTo(sum, within(1e-12));
    // the accountant's composition pays log(1/delta) once: tighter than the sum of the stages
    assertThat(plan.ledgerEpsilon()).isLessThan(sum);
    assertThat(plan.epsilon()).isEqualTo(plan.ledgerEpsilon()).isLessThanOrEqualTo(3);
    assertThat(sum).isLessThanOrEqualTo(3).isGreaterThan(2.99);
    assertThat(plan.warnings()).isEmpty();
    assertThat(plan.accountant()).isEqualTo("rdp");
    assertThat(plan.split()).isEqualTo("equal");
  }

  @Test
  void stagesOnDisjointDataSetsEachGetTheWholeBudget() {
    PrivacyPlan plan = PrivacyPlanner.builder()
        .total(2, DELTA)
        .stage("sft", 10_000, 100, 500, "a")
        .stage("reward", 5_000, 100, 200, "b")
        .build()
        .plan();
    for (PrivacyPlan.StagePlan stage : plan.stages()) {
      assertThat(stage.share()).isEqualTo(1.0);
      assertThat(stage.targetEpsilon()).isEqualTo(2.0);
      assertThat(stage.delta()).isEqualTo(DELTA);
      assertMatchesNoiseCalibration(stage);
    }
    double a = new RdpAccountant().add(plan.stages().get(0).noiseMultiplier(), 0.01, 500).epsilon(DELTA);
    double b = new RdpAccountant().add(plan.stages().get(1).noiseMultiplier(), 0.02, 200).epsilon(DELTA);
    assertThat(plan.ledgerEpsilon()).isEqualTo(Math.max(a, b));
    assertThat(plan.epsilon()).isEqualTo(Math.max(a, b)).isLessThanOrEqualTo(2).isGreaterThan(1.99);
    assertThat(plan.dataSets()).extracting(PrivacyPlan.DataSetPlan::composition).containsExactly("alone", "alone");
    assertThat(plan.dataSets().get(0).explanation()).contains("whole budget");
  }

  @Test
  void mixedPipelineTakesTheMaxOverDataSetsOfTheSequentialCompositions() {
    PrivacyPlan plan = PrivacyPlanner.builder()
        .total(4, DELTA)
        .stage("sft", 50_000, 250, 1000, "texts")
        .stage("reward", 8_000, 80, 300, "prefs")
        .stage("ppo", 8_000, 40, 200, "prefs")
        .split(BudgetSplit.shares(1, 0.7, 0.3))
        .build()
        .plan();
    PrivacyPlan.StagePlan sft = plan.stages().get(0);
    PrivacyPlan.StagePlan reward = plan.stages().get(1);
    PrivacyPlan.StagePlan ppo = plan.stages().get(2);
    assertThat(sft.targetEpsilon()).isEqualTo(4.0);
    assertThat(sft.delta()).isEqualTo(DELTA);
    assertThat(reward.targetEpsilon()).isCloseTo(2.8, within(1e-12));
    assertThat(ppo.targetEpsilon()).isCloseTo(1.2, within(1e-12));
    assertThat(reward.delta()).isEqualTo(DELTA / 2);
    plan.stages().forEach(PrivacyPlannerTest::assertMatchesNoiseCalibration);
    double texts = handComposedRdp(List.of(sft), DELTA)[0];
    double prefs = handComposedRdp(List.of(reward, ppo), DELTA)[0];
    assertThat(plan.dataSets().get(0).ledgerEpsilon()).isCloseTo(texts, within(1e-12));
    assertThat(plan.dataSets().get(1).ledgerEpsilon()).isCloseTo(prefs, within(1e-12));
    assertThat(plan.ledgerEpsilon()).isCloseTo(Math.max(texts, prefs), within(1e-12));
    assertThat(plan.epsilon()).isLessThanOrEqualTo(4);
    assertThat(plan.dataSets().get(1).stages()).containsExactly("reward", "ppo");
  }

  @Test
  void proportionalSplitGivesEveryStageOfADataSetTheSameNoise() {
    PrivacyPlan plan = PrivacyPlanner.builder()
        .total(4, DELTA)
        .stage("long", 10_000, 100, 2000, "d")
        .stage("short", 10_000, 20, 100, "d")
        .stage("other", 10_000, 20, 100, "e")
        .split(BudgetSplit.proportional())
        .build()
        .plan();
    assertThat(plan.split()).isEqualTo("proportional");
    plan.stages().forEach(PrivacyPlannerTest::assertMatchesNoiseCalibration);
    PrivacyPlan.StagePlan longStage = plan.stages().get(0);
    PrivacyPlan.StagePlan shortStage = plan.stages().get(1);
    double sigma = longStage.noiseMultiplier();
    assertThat(shortStage.noiseMultiplier()).isCloseTo(sigma, within(1e-5 * sigma));
    // each share is what the stage spends at that common sigma
    double spentLong = new RdpAccountant().add(sigma, 0.01, 2000).epsilon(DELTA / 2);
    double spentShort = new RdpAccountant().add(sigma, 0.002, 100).epsilon(DELTA / 2);
    assertThat(spentLong + spentShort).isCloseTo(4, within(1e-4));
    assertThat(longStage.share()).isCloseTo(spentLong / 4, within(1e-5));
    assertThat(longStage.share() + shortStage.share()).isCloseTo(1, within(1e-12));
    assertThat(longStage.share()).isGreaterThan(0.7);
    assertThat(plan.stages().get(2).share()).isEqualTo(1.0);
    // the equal split starves the long stage: it needs more than twice the noise of the short one
    PrivacyPlan equal = PrivacyPlanner.builder()
        .total(4, DELTA)
        .stage("long", 10_000, 100, 2000, "d")
        .stage("short", 10_000, 20, 100, "d")
        .build()
        .plan();
    assertThat(equal.stages().get(0).noiseMultiplier() / equal.stages().get(1).noiseMultiplier()).isGreaterThan(1.5);
  }

  @Test
  void tightPlanScalesTheSharesUntilTheLedgerReachesTheTotal() {
    PrivacyPlanner.Builder builder = PrivacyPlanner.builder()
        .total(4, DELTA)
        .stage("sft", 50_000, 250, 1000, "texts")
        .stage("reward", 8_000, 80, 300, "prefs")
        .stage("ppo", 8_000, 40, 200, "prefs")
        .split(BudgetSplit.shares(1, 0.7, 0.3));
    PrivacyPlan basic = builder.build().plan();
    PrivacyPlan tight = builder.tight(true).build().plan();
    assertThat(tight.tight()).isTrue();
    assertThat(basic.tight()).isFalse();
    PrivacyPlan.DataSetPlan prefs = tight.dataSets().get(1);
    assertThat(tight.dataSets().get(0).scale()).isEqualTo(1.0);
    assertThat(basic.dataSets().get(1).scale()).isEqualTo(1.0);
    assertThat(prefs.scale()).isGreaterThan(1.2);
    // the ledger reaches the total from below, to the solver's tolerance
    assertThat(prefs.ledgerEpsilon()).isLessThanOrEqualTo(4).isGreaterThan(4 - 1e-3);
    assertThat(basic.dataSets().get(1).ledgerEpsilon()).isLessThan(3.5);
    assertThat(prefs.ledgerEpsilon())
        .isCloseTo(handComposedRdp(tight.stages().subList(1, 3), DELTA)[0], within(1e-12));
    assertThat(prefs.epsilon()).isEqualTo(prefs.ledgerEpsilon());
    assertThat(prefs.basicCompositionEpsilon()).isGreaterThan(4);
    assertThat(prefs.explanation()).contains("scaled by");
    assertThat(tight.epsilon()).isLessThanOrEqualTo(4);
    for (int i = 1; i < 3; i++) {
      PrivacyPlan.StagePlan stage = tight.stages().get(i);
      assertThat(stage.share()).isEqualTo(basic.stages().get(i).share());
      assertThat(stage.targetEpsilon()).isCloseTo(prefs.scale() * stage.share() * 4, within(1e-12));
      assertMatchesNoiseCalibration(stage);
      assertThat(stage.noiseMultiplier()).isLessThan(basic.stages().get(i).noiseMultiplier());
    }
    // the stage alone on its data set is untouched
    assertThat(tight.stages().get(0)).isEqualTo(basic.stages().get(0));
  }

  @Test
  void worksWithTheTightAccountant() {
    PrivacyPlan plan = PrivacyPlanner.builder()
        .total(2, 1e-5)
        .stage("a", 1000, 50, 40, "d")
        .stage("b", 1000, 50, 40, "d")
        .accountants(() -> new PldAccountant(1e-3, 1e-15))
        .build()
        .plan();
    assertThat(plan.accountant()).isEqualTo("pld");
    for (PrivacyPlan.StagePlan stage : plan.stages()) {
      NoiseCalibration.Result expected = NoiseCalibration.forSteps(stage.targetEpsilon(), stage.sampleRate(),
          stage.steps(), stage.delta(), () -> new PldAccountant(1e-3, 1e-15));
      assertThat(stage.noiseMultiplier()).isEqualTo(expected.noiseMultiplier());
    }
    double composed = new PldAccountant(1e-3, 1e-15).add(plan.stages().get(0).noiseMultiplier(), 0.05, 40)
        .add(plan.stages().get(1).noiseMultiplier(), 0.05, 40).epsilon(1e-5);
    assertThat(plan.ledgerEpsilon()).isEqualTo(composed).isLessThanOrEqualTo(2);
  }

  @Test
  void epsilonTooSmallForTheStepsNamesTheStage() {
    PrivacyPlanner planner = PrivacyPlanner.builder()
        .total(0.5, DELTA)
        .stage("sft", 1000, 500, 5000, "d")
        .build();
    assertThatThrownBy(planner::plan).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stage sft").hasMessageContaining("too small").hasMessageContaining("100");
    // the same epsilon is within reach under a looser bound on the noise
    PrivacyPlan loose = PrivacyPlanner.builder().total(0.5, DELTA).stage("sft", 1000, 500, 5000, "d")
        .maxNoiseMultiplier(1e4).build().plan();
    assertThat(loose.stages().get(0).noiseMultiplier()).isGreaterThan(100);
    // under the proportional split the message names the stage that needs the most
    PrivacyPlanner proportional = PrivacyPlanner.builder().total(0.5, DELTA)
        .stage("small", 100_000, 10, 10, "d").stage("sft", 1000, 500, 5000, "d")
        .split(BudgetSplit.proportional()).build();
    assertThatThrownBy(proportional::plan).hasMessageContaining("stage sft").hasMessageContaining("too small");
  }

  @Test
  void deltaNotBelowOneOverNWarnsAndStrictRefuses() {
    PrivacyPlanner planner = PrivacyPlanner.builder()
        .total(2, 1e-4)
        .stage("big", 20_000, 100, 100, "a")
        .stage("few", 5_000, 50, 100, "b")
        .build();
    assertThat(planner.warnings()).hasSize(1);
    assertThat(planner.warnings().get(0)).contains("stage big").contains("1.0E-4").contains("N = 20000");
    assertThat(planner.plan().warnings()).isEqualTo(planner.warnings());
    assertThatThrownBy(() -> PrivacyPlanner.builder().total(2, 1e-4).stage("big", 20_000, 100, 100, "a")
        .strict(true).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stage big");
    assertThat(PrivacyPlanner.builder().total(2, 1e-4).stage("few", 5_000, 50, 100, "b").strict(true).build()
        .warnings()).isEmpty();
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> PrivacyPlanner.builder().total(0, DELTA)).hasMessageContaining("epsilon");
    assertThatThrownBy(() -> PrivacyPlanner.builder().total(-1, DELTA)).hasMessageContaining("epsilon");
    assertThatThrownBy(() -> PrivacyPlanner.builder().total(Double.POSITIVE_INFINITY, DELTA))
        .hasMessageContaining("epsilon");
    assertThatThrownBy(() -> PrivacyPlanner.builder().total(1, 0)).hasMessageContaining("delta");
    assertThatThrownBy(() -> PrivacyPlanner.builder().total(1, 1)).hasMessageContaining("delta");
    assertThatThrownBy(() -> PrivacyPlanner.builder().stage("sft", 100, 200, 10, "d"))
        .hasMessageContaining("stage sft").hasMessageContaining("200").hasMessageContaining("100");
    assertThatThrownBy(() -> PrivacyPlanner.builder().stage("sft", 100, 0, 10, "d"))
        .hasMessageContaining("stage sft").hasMessageContaining("batch");
    assertThatThrownBy(() -> PrivacyPlanner.builder().stage("sft", 100, 10, 0, "d"))
        .hasMessageContaining("stage sft").hasMessageContaining("steps");
    assertThatThrownBy(() -> PrivacyPlanner.builder().stage("a", 100, 10, 1, "d").stage("a", 100, 10, 1, "e"))
        .hasMessageContaining("unique");
    assertThatThrownBy(() -> PrivacyPlanner.builder().stage("a", 100, 10, 1, "d").build())
        .hasMessageContaining("total");
    assertThatThrownBy(() -> PrivacyPlanner.builder().total(1, DELTA).build()).hasMessageContaining("stage");
    assertThatThrownBy(() -> BudgetSplit.shares(0.5, -0.5))
        .hasMessageContaining("share 2").hasMessageContaining("-0.5");
    assertThatThrownBy(() -> BudgetSplit.shares(0.5, 0)).hasMessageContaining("share 2");
    PrivacyPlanner.Builder twoOnD = PrivacyPlanner.builder().total(1, DELTA)
        .stage("a", 10_000, 10, 10, "d").stage("b", 10_000, 10, 10, "d").stage("c", 10_000, 10, 10, "e");
    assertThatThrownBy(() -> twoOnD.split(BudgetSplit.shares(0.5, 0.4, 1)).build())
        .hasMessageContaining("data set d").hasMessageContaining("a, b").hasMessageContaining("0.9");
    assertThatThrownBy(() -> twoOnD.split(BudgetSplit.shares(0.5, 0.5)).build())
        .hasMessageContaining("2 shares for 3 stages");
    assertThatThrownBy(() -> twoOnD.split(BudgetSplit.shares(0.5, 0.5, 0.5)).build())
        .hasMessageContaining("data set e").hasMessageContaining("0.5");
    assertThat(twoOnD.split(BudgetSplit.shares(0.25, 0.75, 1)).build().plan().stages().get(1).share())
        .isCloseTo(0.75, within(1e-12));
  }

  /** The stage's noise multiplier is exactly what {@code privacy noise} computes for its epsilon, delta, q, steps. */
  private static void assertMatchesNoiseCalibration(PrivacyPlan.StagePlan stage) {
    NoiseCalibration.Result expected = NoiseCalibration.forSteps(
        stage.targetEpsilon(), stage.sampleRate(), stage.steps(), stage.delta(), RdpAccountant::new);
    assertThat(stage.noiseMultiplier()).isEqualTo(expected.noiseMultiplier());
    assertThat(stage.epsilon()).isEqualTo(expected.epsilon()).isLessThanOrEqualTo(stage.targetEpsilon());
    assertThat(stage.sampleRate()).isEqualTo((double) stage.batchSize() / stage.dataSize());
  }

  /**
   * Sequential composition by hand: each stage's RDP at every order times its steps, summed over the stages, then
   * the improved conversion at the best order. Returns {epsilon, order}.
   */
  private static double[] handComposedRdp(List<PrivacyPlan.StagePlan> stages, double delta) {
    double best = Double.POSITIVE_INFINITY;
    double bestOrder = 0;
    for (double order : RdpAccountant.defaultOrders()) {
      double rdp = 0;
      for (PrivacyPlan.StagePlan stage : stages) {
        rdp += stage.steps() * RdpAccountant.rdp(stage.noiseMultiplier(), stage.sampleRate(), order);
      }
      double eps = rdp + Math.log1p(-1 / order) - (Math.log(delta) + Math.log(order)) / (order - 1);
      if (eps < best) {
        best = eps;
        bestOrder = order;
      }
    }
    return new double[] {Math.max(0, best), bestOrder};
  }
}
