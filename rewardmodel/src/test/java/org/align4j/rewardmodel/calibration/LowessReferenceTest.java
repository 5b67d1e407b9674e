package org.align4j.rewardmodel.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LowessReferenceTest {

  @ParameterizedTest
  @CsvSource({"syn_linear, 1.0", "syn_linear, 0.9", "syn_log, 1.0", "syn_log, 0.9"})
  void reproducesReferenceCalibratedRewards(String rm, double frac) {
    ReferenceRows rows = ReferenceRows.load(rm);
    double[] x = ReferenceRows.pool(rows.chosenLength(), rows.rejectedLength());
    double[] y = ReferenceRows.pool(rows.chosenReward(), rows.rejectedReward());
    double[] expected = frac == 1.0
        ? ReferenceRows.pool(rows.chosenF1(), rows.rejectedF1())
        : ReferenceRows.pool(rows.chosenF09(), rows.rejectedF09());
    LowessFit fit = Lowess.builder().frac(frac).iterations(3).delta(0).build().fit(x, y);
    double worst = 0;
    for (int i = 0; i < x.length; i++) {
      double calibrated = y[i] - fit.fitted(i);
      worst = Math.max(worst, Math.abs(calibrated - expected[i]) / Math.max(1.0, Math.abs(expected[i])));
    }
    assertThat(worst).isLessThan(1e-9);
  }
}
