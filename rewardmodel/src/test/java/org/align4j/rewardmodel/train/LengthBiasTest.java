package org.align4j.rewardmodel.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.calibration.CalibratedRewardModel;
import org.align4j.rewardmodel.calibration.Calibration;
import org.align4j.rewardmodel.calibration.CalibrationMethod;
import org.align4j.rewardmodel.calibration.Calibrator;
import org.align4j.rewardmodel.calibration.RewardPairs;
import org.align4j.rewardmodel.eval.RewardEvaluation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The length-bias demonstration of issue 4: a reward model trained on pairs whose chosen response is better and
 * also longer learns to reward length; RC-LWR, fitted on one length-balanced set and applied through a
 * {@link CalibratedRewardModel} on another, lowers the Spearman correlation of reward with length and raises the
 * accuracy. (Over seeds 1 to 4 of this set-up: Spearman 0.80 to 0.92 before, below 0.13 after; accuracy 0.60 to
 * 0.65 before, 0.77 to 0.88 after.)
 */
class LengthBiasTest {

  private static TransformerRewardModel biased;

  @BeforeAll
  static void trainOnBetterAndLongerPairs() {
    biased = TransformerRewardModel.create(RewardTrainerTest.CONFIG, ByteTokenizer.INSTANCE, 3);
    RewardTrainerConfig config = RewardTrainerConfig.builder().batchSize(16).maxSteps(30).learningRate(2e-2)
        .warmupSteps(4).seed(5).build();
    new RewardTrainer(config).train(biased, SyntheticPreferences.betterAndLonger(256, 0.6, 3));
  }

  /** Rewards and lengths of a pair set under {@code model}. */
  private static RewardPairs score(RewardModel model, Dataset<PreferencePair> data) {
    List<PreferencePair> pairs = data.toList();
    List<String> prompts = pairs.stream().map(PreferencePair::prompt).toList();
    double[] chosen = model.score(prompts, pairs.stream().map(PreferencePair::chosen).toList());
    double[] rejected = model.score(prompts, pairs.stream().map(PreferencePair::rejected).toList());
    return RewardPairs.of(chosen, rejected, lengths(pairs, true), lengths(pairs, false));
  }

  private static double[] lengths(List<PreferencePair> pairs, boolean chosen) {
    List<Double> out = new ArrayList<>();
    for (PreferencePair p : pairs) {
      out.add((double) (chosen ? p.chosen() : p.rejected()).length());
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static RewardEvaluation evaluate(RewardPairs pairs) {
    return RewardEvaluation.of(pairs.chosenReward(), pairs.rejectedReward(), null, pairs.chosenFeature(),
        pairs.rejectedFeature());
  }

  @Test
  void theTrainingDataTiesQualityToLength() {
    List<PreferencePair> train = SyntheticPreferences.betterAndLonger(256, 0.6, 3).toList();
    assertThat(train).allMatch(p -> p.chosen().length() > p.rejected().length());
    long better = train.stream().filter(p -> p.chosen().endsWith("!") && p.rejected().endsWith(".")).count();
    assertThat(better).isBetween(130L, 178L);
    List<PreferencePair> balanced = SyntheticPreferences.lengthBalanced(100, 1).toList();
    assertThat(balanced.stream().filter(p -> p.chosen().length() > p.rejected().length())).hasSize(50);
    assertThat(balanced).allMatch(p -> p.chosen().endsWith("!") && p.rejected().endsWith("."));
  }

  @Test
  void learnsALengthBiasThatCalibrationReduces() {
    RewardEvaluation raw = evaluate(score(biased, SyntheticPreferences.lengthBalanced(200, 202)));
    double rawCorrelation = raw.lengthCorrelation().orElseThrow();
    // The learned bias: reward follows length, and ranking by it is close to chance where length says nothing.
    assertThat(rawCorrelation).isGreaterThan(0.5);
    assertThat(raw.accuracy()).isLessThan(0.75);

    // The reward-length curve of this model bends; a local fit (frac 0.3) follows it.
    Calibration lwr = Calibrator.builder().method(CalibrationMethod.LWR).frac(0.3).build()
        .fit(score(biased, SyntheticPreferences.lengthBalanced(200, 101)));
    RewardModel calibrated = CalibratedRewardModel.of(biased, lwr);
    RewardEvaluation after = evaluate(score(calibrated, SyntheticPreferences.lengthBalanced(200, 202)));
    double afterCorrelation = after.lengthCorrelation().orElseThrow();
    assertThat(afterCorrelation).isLessThan(rawCorrelation - 0.3);
    assertThat(Math.abs(afterCorrelation)).isLessThan(0.3);
    assertThat(after.accuracy()).isGreaterThan(raw.accuracy() + 0.1);
  }
}
