package org.align4j.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.align4j.core.provenance.PrivacySpent;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PrivacyLedger#fromHistory}: a model's total epsilon from its history, against the composition done by
 * hand here (RDP curves of the subsampled Gaussian added at equal orders, then Balle et al.'s conversion).
 */
class HistoryLedgerTest {

  private static final double DELTA = 1e-5;
  private static final String DATA_A = "a".repeat(64);
  private static final String DATA_B = "b".repeat(64);

  @TempDir Path dir;

  private static TrainingStage stage(String kind, String data, double sigma, double q, long steps, PrivacyUnit unit) {
    TrainingStage plain = TrainingStage.of(kind, kind + "-data", data, Map.of("k", "v"), steps, 1);
    return plain.withPrivacy(new PrivacySpent(1.0, DELTA, sigma, q, steps, "rdp", unit));
  }

  private static TrainingStage open(String kind, String data) {
    return TrainingStage.of(kind, kind + "-data", data, Map.of(), 10, 1);
  }

  /** The RDP composition of (sigma, q, steps) mechanisms converted at delta, written out here. */
  private static double byHand(double delta, double[]... mechanisms) {
    double best = Double.POSITIVE_INFINITY;
    for (double a : RdpAccountant.defaultOrders()) {
      double rdp = 0;
      for (double[] m : mechanisms) {
        rdp += m[2] * RdpAccountant.rdp(m[0], m[1], a);
      }
      best = Math.min(best, rdp + Math.log1p(-1 / a) - (Math.log(delta) + Math.log(a)) / (a - 1));
    }
    return Math.max(0, best);
  }

  @Test
  void stagesOnTheSameDataComposeSequentiallyByAddingRdpCurves() {
    List<TrainingStage> history = List.of(stage("sft", DATA_A, 1.1, 0.01, 500, PrivacyUnit.EXAMPLE),
        stage("ppo", DATA_A, 0.9, 0.02, 200, PrivacyUnit.PROMPT));
    PrivacyReport report = PrivacyLedger.fromHistory(history).report(PrivacyLedger.deltaOf(history).orElseThrow());
    double expected = byHand(DELTA, new double[] {1.1, 0.01, 500}, new double[] {0.9, 0.02, 200});
    assertThat(report.epsilon()).isCloseTo(expected, within(1e-9 * expected));
    double first = byHand(DELTA, new double[] {1.1, 0.01, 500});
    double second = byHand(DELTA, new double[] {0.9, 0.02, 200});
    // sequential: more than either stage, less than their sum (RDP composition beats adding epsilons)
    assertThat(report.epsilon()).isGreaterThan(Math.max(first, second)).isLessThan(first + second);
    assertThat(report.datasets()).singleElement().satisfies(d -> {
      assertThat(d.dataset()).isEqualTo(DATA_A);
      assertThat(d.stages()).containsExactly("1:sft", "2:ppo");
    });
  }

  @Test
  void stagesOnDisjointDataComposeInParallel() {
    List<TrainingStage> history = List.of(stage("sft", DATA_A, 1.1, 0.01, 500, PrivacyUnit.EXAMPLE),
        stage("dpo", DATA_B, 0.9, 0.02, 200, PrivacyUnit.EXAMPLE));
    PrivacyReport report = PrivacyLedger.fromHistory(history).report(DELTA);
    double expected = Math.max(byHand(DELTA, new double[] {1.1, 0.01, 500}),
        byHand(DELTA, new double[] {0.9, 0.02, 200}));
    assertThat(report.epsilon()).isCloseTo(expected, within(1e-9 * expected));
    assertThat(report.datasets()).hasSize(2);
  }

  @Test
  void aNonPrivateStageOnPrivateDataMakesTheTotalInfinite() {
    TrainingStage dp = stage("sft", DATA_A, 1.1, 0.01, 500, PrivacyUnit.EXAMPLE);
    PrivacyReport exposed = PrivacyLedger.fromHistory(List.of(dp, open("dpo", DATA_A))).report(DELTA);
    assertThat(exposed.epsilon()).isInfinite();
    assertThat(exposed.stages()).extracting(PrivacyReport.StageShare::accountant).containsExactly("rdp", "none");
    // a non-private stage on other data leaves the private data's guarantee as it was
    PrivacyReport separate = PrivacyLedger.fromHistory(List.of(open("sft", DATA_B), dp)).report(DELTA);
    assertThat(separate.epsilon()).isCloseTo(byHand(DELTA, new double[] {1.1, 0.01, 500}), within(1e-9));
    assertThat(separate.datasets()).extracting(PrivacyReport.DatasetShare::dataset).containsExactly(DATA_A);
    // no private stage at all: no guarantee
    List<TrainingStage> plain = List.of(open("sft", DATA_A), open("dpo", DATA_B));
    assertThat(PrivacyLedger.fromHistory(plain).report(DELTA).epsilon()).isInfinite();
    assertThat(PrivacyLedger.deltaOf(plain)).isEmpty();
  }

  @Test
  void theLargestDeltaIsUsedAndUnknownAccountantsAreRefused() {
    TrainingStage looser = TrainingStage.of("sft", "d", DATA_A, Map.of(), 5, 1)
        .withPrivacy(new PrivacySpent(2, 1e-4, 1, 0.1, 5, "pld", PrivacyUnit.EXAMPLE));
    List<TrainingStage> history = List.of(stage("sft", DATA_B, 1.1, 0.01, 5, PrivacyUnit.EXAMPLE), looser);
    assertThat(PrivacyLedger.deltaOf(history)).hasValue(1e-4);
    assertThat(PrivacyLedger.fromHistory(history).stages().get(1).accountant()).isInstanceOf(PldAccountant.class);
    TrainingStage odd = TrainingStage.of("sft", "d", DATA_A, Map.of(), 5, 1)
        .withPrivacy(new PrivacySpent(2, 1e-4, 1, 0.1, 5, "prv", PrivacyUnit.EXAMPLE));
    assertThatThrownBy(() -> PrivacyLedger.fromHistory(List.of(odd)))
        .hasMessageContaining("stage 1:sft used an unknown accountant \"prv\"");
  }

  @Test
  void nonPrivateStagesAreSavedWithTheLedger() {
    PrivacyLedger ledger = PrivacyLedger.fromHistory(
        List.of(stage("sft", DATA_A, 1.1, 0.01, 50, PrivacyUnit.EXAMPLE), open("dpo", DATA_A)));
    Path file = dir.resolve("ledger.json");
    ledger.save(file);
    PrivacyLedger loaded = PrivacyLedger.load(file);
    assertThat(loaded.nonPrivateStages()).isEqualTo(ledger.nonPrivateStages());
    assertThat(loaded.report(DELTA).epsilon()).isInfinite();
    assertThatThrownBy(() -> ledger.addNonPrivateStage("1:sft", "x", 1)).hasMessageContaining("unique");
  }
}
