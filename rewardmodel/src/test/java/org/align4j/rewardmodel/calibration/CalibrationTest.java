package org.align4j.rewardmodel.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.align4j.core.data.DataFormatException;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.eval.RewardEvaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationTest {

  /** Pairs whose true quality favours chosen, with a reward that also grows with length. */
  static RewardPairs lengthBiased(long seed, int n) {
    Random random = new Random(seed);
    double[] cr = new double[n];
    double[] rr = new double[n];
    double[] cl = new double[n];
    double[] rl = new double[n];
    double[] ct = new double[n];
    double[] rt = new double[n];
    for (int i = 0; i < n; i++) {
      cl[i] = 50 + random.nextInt(400);
      rl[i] = 50 + random.nextInt(400);
      int prompt = 20 + random.nextInt(100);
      ct[i] = cl[i] + prompt;
      rt[i] = rl[i] + prompt;
      double quality = random.nextGaussian();
      cr[i] = quality + 0.5 + 0.01 * cl[i] + 0.3 * random.nextGaussian();
      rr[i] = quality + 0.01 * rl[i] + 0.3 * random.nextGaussian();
    }
    return RewardPairs.of(cr, rr, cl, rl).withPenaltyFeature(ct, rt);
  }

  @Test
  void calibrationLowersTheLengthCorrelationAndRaisesAccuracy() {
    RewardPairs pairs = lengthBiased(7, 600);
    RewardEvaluation before = evaluate(pairs);
    for (CalibrationMethod method : CalibrationMethod.values()) {
      RewardPairs after = Calibrator.builder().method(method).penaltyCoef(0.01).build().fit(pairs).apply(pairs);
      RewardEvaluation evaluation = evaluate(after);
      assertThat(Math.abs(evaluation.lengthCorrelation().getAsDouble()))
          .as(method.id()).isLessThan(Math.abs(before.lengthCorrelation().getAsDouble()) - 0.3);
      assertThat(evaluation.accuracy()).as(method.id()).isGreaterThan(before.accuracy());
    }
  }

  private static RewardEvaluation evaluate(RewardPairs p) {
    return RewardEvaluation.of(p.chosenReward(), p.rejectedReward(), null, p.chosenFeature(), p.rejectedFeature());
  }

  @Test
  void lwrSubtractsAlphaTimesTheLowessFit() {
    RewardPairs pairs = lengthBiased(3, 200);
    Calibration calibration = Calibrator.builder().frac(0.5).alpha(0.5).build().fit(pairs);
    double[] x = ReferenceRows.pool(pairs.chosenFeature(), pairs.rejectedFeature());
    double[] y = ReferenceRows.pool(pairs.chosenReward(), pairs.rejectedReward());
    double[] fit = NaiveLowess.fit(Lowess.builder().frac(0.5).build(), x, y);
    RewardPairs after = calibration.apply(pairs);
    for (int i = 0; i < pairs.size(); i++) {
      assertThat(after.chosenReward()[i]).isCloseTo(y[i] - 0.5 * fit[i], within(1e-9));
      assertThat(after.rejectedReward()[i]).isCloseTo(y[i + 200] - 0.5 * fit[i + 200], within(1e-9));
    }
    assertThat(calibration.method()).isEqualTo(CalibrationMethod.LWR);
    assertThat(calibration.points()).isEqualTo(400);
    assertThat(calibration.featureName()).isEqualTo("response_length");
    assertThat(calibration.penaltyFeatureName()).isNull();
    assertThat(calibration.frac()).isEqualTo(0.5);
  }

  @Test
  void meanUsesWindowsOfAQuarterOfTheMeanDifferenceAndNeedsBothCovered() {
    // lengths 0..9 (chosen) against 4 more (rejected): mean |difference| = 4, window half-width 1
    int n = 10;
    double[] cl = new double[n];
    double[] rl = new double[n];
    double[] cr = new double[n];
    double[] rr = new double[n];
    for (int i = 0; i < n; i++) {
      cl[i] = i;
      rl[i] = i + 4;
      cr[i] = i;
      rr[i] = 100 + i;
    }
    RewardPairs pairs = RewardPairs.of(cr, rr, cl, rl);
    Calibration c = Calibrator.builder().method(CalibrationMethod.MEAN).minCount(4).build().fit(pairs);
    assertThat(c.windowHalfWidth()).isEqualTo(1.0);
    // length 5: pooled lengths 4, 5, 6 -> chosen rewards 4, 5, 6 and rejected rewards 100, 101, 102
    assertThat(c.bias(5)).isEqualTo((4 + 5 + 6 + 100 + 101 + 102) / 6.0);
    assertThat(c.knotSupport()[0]).isEqualTo(2); // length 0: lengths 0 and 1
    assertThat(c.covers(0)).isFalse();
    assertThat(c.covers(5)).isTrue();
    assertThat(c.covers(5.5)).isTrue();
    RewardPairs after = c.apply(pairs);
    assertThat(after.chosenReward()[0]).isEqualTo(0.0); // length 0 is not covered: pair unchanged
    assertThat(after.rejectedReward()[0]).isEqualTo(100.0);
    assertThat(after.chosenReward()[5]).isEqualTo(5 - c.bias(5));
    assertThat(after.rejectedReward()[5]).isEqualTo(105 - c.bias(9));
  }

  @Test
  void penaltySubtractsCoefTimesTextLength() {
    RewardPairs pairs = RewardPairs.of(new double[] {1, 2}, new double[] {0, 0}, new double[] {10, 20},
        new double[] {5, 5}).withPenaltyFeature(new double[] {100, 300}, new double[] {50, 60});
    Calibration c = Calibrator.builder().method(CalibrationMethod.PENALTY).build().fit(pairs);
    RewardPairs after = c.apply(pairs);
    assertThat(after.chosenReward()).containsExactly(1 - 0.1, 2 - 0.3);
    assertThat(after.rejectedReward()).containsExactly(-0.05, -0.06);
    assertThat(c.calibrate(1.0, 999, 100)).isEqualTo(0.9);
    assertThatThrownBy(() -> c.apply(RewardPairs.of(new double[] {1}, new double[] {0}, new double[] {1},
        new double[] {2}))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text_length");
  }

  @Test
  void lwrPenaltyIsPenaltyThenLwr() {
    RewardPairs pairs = lengthBiased(11, 150);
    RewardPairs penalised = Calibrator.builder().method(CalibrationMethod.PENALTY).build().fit(pairs).apply(pairs);
    RewardPairs expected = Calibrator.builder().build().fit(penalised).apply(penalised);
    RewardPairs actual = Calibrator.builder().method(CalibrationMethod.LWR_PENALTY).build().fit(pairs).apply(pairs);
    assertThat(actual.chosenReward()).containsExactly(expected.chosenReward(), within(1e-12));
    assertThat(actual.rejectedReward()).containsExactly(expected.rejectedReward(), within(1e-12));
  }

  @Test
  void savesAndLoadsJson(@TempDir Path dir) throws Exception {
    RewardPairs pairs = lengthBiased(5, 120);
    for (CalibrationMethod method : CalibrationMethod.values()) {
      Calibration c = Calibrator.builder().method(method).build().fit(pairs);
      Path file = dir.resolve(method.id() + ".json");
      c.save(file);
      Calibration loaded = Calibration.load(file);
      assertThat(loaded).isEqualTo(c);
      assertThat(loaded.toJson()).isEqualTo(c.toJson()).contains("\"method\" : \"" + method.id() + "\"");
      assertThat(loaded.apply(pairs)).isEqualTo(c.apply(pairs));
      assertThat(loaded.knotX()).containsExactly(c.knotX());
    }
    Files.writeString(dir.resolve("bad.json"), "{\"format\":\"align4j-calibration\",\"version\":1,"
        + "\"method\":\"lwr\",\"points\":2,\"featureName\":\"f\",\"knotX\":[2,1],\"knotBias\":[0,0]}");
    assertThatThrownBy(() -> Calibration.load(dir.resolve("bad.json"))).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad.json").hasMessageContaining("ascending");
    assertThatThrownBy(() -> Calibration.fromJson("[1,2]")).isInstanceOf(DataFormatException.class);
  }

  @Test
  void calibratedRewardModelSubtractsTheBiasAtTheResponseLength() {
    RewardModel lengthy = (prompts, responses) ->
        responses.stream().mapToDouble(r -> 0.01 * r.length()).toArray();
    RewardPairs pairs = lengthBiased(9, 300);
    Calibration c = Calibrator.builder().build().fit(pairs);
    CalibratedRewardModel model = CalibratedRewardModel.of(lengthy, c);
    String response = "x".repeat(200);
    assertThat(model.score("prompt", response)).isCloseTo(2.0 - c.bias(200), within(1e-12));
    assertThat(model.score(List.of("a", "b"), List.of("yy", "zzz"))).hasSize(2);
    assertThatThrownBy(() -> new CalibratedRewardModel(lengthy, c, ResponseFeature.textLength(), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("response_length");
    ResponseFeature words = ResponseFeature.of("words", (p, r) -> r.split(" ").length);
    Calibration byWords = Calibrator.builder().featureName("words").build().fit(pairs);
    assertThat(new CalibratedRewardModel(lengthy, byWords, words, null).score("p", "a b c"))
        .isCloseTo(0.05 - byWords.bias(3), within(1e-12));
  }

  @Test
  void validatesConfigurationAndPairs() {
    assertThatThrownBy(() -> Calibrator.builder().alpha(-1)).hasMessage("alpha must be >= 0, got -1.0");
    assertThatThrownBy(() -> Calibrator.builder().frac(0)).hasMessageContaining("frac");
    assertThatThrownBy(() -> Calibrator.builder().minCount(0)).hasMessage("minCount must be > 0, got 0");
    assertThatThrownBy(() -> Calibrator.builder().windowRatio(0)).hasMessageContaining("windowRatio");
    assertThatThrownBy(() -> Calibrator.builder().penaltyCoef(Double.NaN)).hasMessageContaining("penaltyCoef");
    assertThatThrownBy(() -> CalibrationMethod.fromId("median")).hasMessageContaining("lwr, mean, penalty");
    assertThat(CalibrationMethod.fromId("lwr-penalty")).isEqualTo(CalibrationMethod.LWR_PENALTY);
    assertThatThrownBy(() -> RewardPairs.of(new double[] {Double.NaN}, new double[] {0}, new double[] {1},
        new double[] {1})).hasMessage("chosenReward[0] must be finite, got NaN");
    assertThatThrownBy(() -> Calibrator.builder().method(CalibrationMethod.PENALTY).build()
        .fit(RewardPairs.of(new double[] {1}, new double[] {0}, new double[] {1}, new double[] {2})))
        .hasMessageContaining("penalty feature");
  }
}
