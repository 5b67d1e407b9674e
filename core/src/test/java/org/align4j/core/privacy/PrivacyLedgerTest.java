package org.align4j.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyLedgerTest {

  @TempDir Path dir;

  @Test
  void disjointDataSetsComposeInParallel() {
    PrivacyLedger ledger = new PrivacyLedger()
        .addStage("sft", "d1", new RdpAccountant().add(1.0, 0.01, 1000))
        .addStage("reward", "d2", new RdpAccountant().add(1.2, 0.02, 500))
        .addStage("ppo", "d3", new RdpAccountant().add(0.9, 0.01, 2000));
    PrivacyReport report = ledger.report(1e-5);
    double ppo = new RdpAccountant().add(0.9, 0.01, 2000).epsilon(1e-5);
    assertThat(report.epsilon()).isEqualTo(ppo);
    assertThat(report.datasets()).hasSize(3);
    assertThat(report.datasets().get(2).binding()).isTrue();
    assertThat(report.datasets().get(0).binding()).isFalse();
    assertThat(report.stages()).allSatisfy(s -> assertThat(s.share()).isEqualTo(1.0));
    assertThat(report.stages().get(1).steps()).isEqualTo(500);
  }

  @Test
  void stagesSharingADataSetComposeSequentially() {
    PrivacyLedger ledger = new PrivacyLedger()
        .addStage("sft", "shared", new RdpAccountant().add(1.0, 0.01, 1000))
        .addStage("ppo", "shared", new RdpAccountant().add(0.9, 0.01, 2000))
        .addStage("reward", "other", new RdpAccountant().add(5.0, 0.01, 10));
    PrivacyReport report = ledger.report(1e-5);
    double composed = new RdpAccountant().add(1.0, 0.01, 1000).add(0.9, 0.01, 2000).epsilon(1e-5);
    assertThat(report.epsilon()).isEqualTo(composed);
    PrivacyReport.DatasetShare shared = report.datasets().get(0);
    assertThat(shared.stages()).containsExactly("sft", "ppo");
    assertThat(shared.naiveSumEpsilon()).isEmpty();
    double sft = report.stages().get(0).epsilon();
    double ppo = report.stages().get(1).epsilon();
    assertThat(report.stages().get(0).share()).isCloseTo(sft / (sft + ppo), within(1e-15));
    assertThat(composed).isLessThan(sft + ppo).isGreaterThan(Math.max(sft, ppo));
  }

  @Test
  void differentAccountantsOnOneDataSetAlsoReportTheNaiveSum() {
    PrivacyLedger ledger = new PrivacyLedger()
        .addStage("sft", "d", new RdpAccountant().add(1.0, 0.01, 500))
        .addStage("ppo", "d", new PldAccountant(1e-3, 1e-15).add(1.0, 0.01, 500));
    PrivacyReport report = ledger.report(1e-5);
    PrivacyReport.DatasetShare d = report.datasets().get(0);
    assertThat(d.naiveSumEpsilon()).isPresent();
    double pldWhole = new PldAccountant(1e-3, 1e-15).add(1.0, 0.01, 1000).epsilon(1e-5);
    assertThat(report.epsilon()).isEqualTo(pldWhole);
    assertThat(d.naiveSumEpsilon().getAsDouble()).isGreaterThan(report.epsilon());
  }

  @Test
  void jsonRoundTripReproducesTheReport() {
    PrivacyLedger ledger = new PrivacyLedger()
        .addStage("sft", "d1", new RdpAccountant().add(1.0, 0.01, 1000))
        .addStage("ppo", "d1", new PldAccountant(1e-3, 1e-15).add(1.1, 0.02, 100));
    Path file = dir.resolve("ledger.json");
    ledger.save(file);
    PrivacyLedger loaded = PrivacyLedger.load(file);
    assertThat(loaded.stages()).hasSize(2);
    assertThat(loaded.stages().get(1).accountant()).isInstanceOf(PldAccountant.class);
    assertThat(loaded.report(1e-5)).isEqualTo(ledger.report(1e-5));
  }

  @Test
  void rejectsDuplicateStagesAndEmptyLedgers() {
    PrivacyLedger ledger = new PrivacyLedger().addStage("sft", "d", new RdpAccountant());
    assertThatThrownBy(() -> ledger.addStage("sft", "e", new RdpAccountant()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sft");
    assertThatThrownBy(() -> new PrivacyLedger().report(1e-5)).hasMessageContaining("no stages");
    assertThatThrownBy(() -> ledger.report(0)).hasMessageContaining("delta");
  }
}
