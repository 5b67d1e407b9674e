package org.align4j.optimizers.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.dp.ClippingMode;
import org.align4j.core.dp.DpFixtures;
import org.align4j.core.dp.DpSgdConfig;
import org.align4j.core.dp.EpsilonPoint;
import org.align4j.core.dp.GradientPath;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.privacy.MechanismStep;
import org.align4j.core.privacy.RdpAccountant;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.StepMetrics;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.train.BradleyTerryLoss;
import org.align4j.rewardmodel.train.RewardTrainer;
import org.align4j.rewardmodel.train.RewardTrainerConfig;
import org.align4j.rewardmodel.train.SyntheticPreferences;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Private reward-model training: it learns the synthetic pattern and reports the accountant's epsilon; without
 * noise and clipping at q = 1 it takes the non-private trainer's step; it repeats from its seed; bad input fails.
 */
class DpRewardTrainerTest {

  /** One layer sees the token before the EOS; as in the non-private reward trainer's tests. */
  private static final TransformerConfig CONFIG = TransformerConfig.builder()
      .vocabSize(ByteTokenizer.INSTANCE.vocabSize()).contextLength(24).dModel(16).heads(2).layers(1).mlpRatio(2)
      .build();

  private static TransformerRewardModel fresh(long seed) {
    return TransformerRewardModel.create(CONFIG, ByteTokenizer.INSTANCE, seed);
  }

  private static double accuracy(TransformerRewardModel model, Dataset<PreferencePair> pairs) {
    List<PreferencePair> list = pairs.toList();
    List<String> prompts = list.stream().map(PreferencePair::prompt).toList();
    double[] rc = model.score(prompts, list.stream().map(PreferencePair::chosen).toList());
    double[] rr = model.score(prompts, list.stream().map(PreferencePair::rejected).toList());
    return BradleyTerryLoss.metrics(rc, rr).accuracy();
  }

  @Test
  void privateTrainingLearnsThePatternAndReportsTheAccountantsEpsilon() {
    DpSgdConfig dp = DpSgdConfig.builder().noiseMultiplier(0.6).expectedBatchSize(32).steps(40).clipNorm(1.0)
        .learningRate(2e-2).weightDecay(0).gradientPath(GradientPath.BACKPROP).physicalBatchSize(16)
        .epsilonEvery(20).seed(7).build();
    TransformerRewardModel model = fresh(3);
    Dataset<PreferencePair> heldOut = SyntheticPreferences.lengthBalanced(64, 13);
    assertThat(accuracy(model, heldOut)).isLessThan(0.75);
    DpRewardResult r = new DpRewardTrainer(DpRewardConfig.of(dp))
        .train(model, SyntheticPreferences.lengthBalanced(256, 3));

    assertThat(accuracy(r.model(), heldOut)).isGreaterThanOrEqualTo(0.85);
    List<Double> losses = r.training().history().stream().map(StepMetrics::loss).filter(x -> !Double.isNaN(x))
        .toList();
    double first = losses.subList(0, 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertThat(first).isBetween(0.6, 0.8); // about ln 2 before training
    assertThat(r.training().finalLoss()).isLessThan(first - 0.2);

    assertThat(r.steps()).isEqualTo(40);
    assertThat(r.training().sampleRate()).isEqualTo(0.125);
    assertThat(r.delta()).isEqualTo(1.0 / 256);
    assertThat(r.training().gradientPath()).isEqualTo(GradientPath.BACKPROP);
    assertThat(r.training().privacyHistory()).containsExactly(new MechanismStep(0.6, 0.125, 40));
    double expected = new RdpAccountant().add(0.6, 0.125, 40).epsilon(1.0 / 256);
    assertThat(r.epsilon()).isFinite().isPositive().isEqualTo(expected);
    assertThat(r.training().epsilons()).extracting(EpsilonPoint::step).containsExactly(20L, 40L);
    assertThat(r.model().provenance().steps()).isEqualTo(40);
    assertThat(r.model().provenance().dataName()).startsWith("synthetic-length-balanced");
    // the live arrays of the model given were trained
    assertThat(r.model().headWeight()).isSameAs(model.headWeight());
  }

  @Test
  void withoutNoiseAndClippingAtQOneTheStepIsTheNonPrivateTrainersStep() {
    Dataset<PreferencePair> data = SyntheticPreferences.lengthBalanced(6, 21);
    TransformerRewardModel dpModel = fresh(5);
    TransformerRewardModel plain = fresh(5);
    DpSgdConfig dp = DpSgdConfig.builder().noiseMultiplier(0).sampleRate(1).steps(1)
        .clipNorm(1e9).learningRate(1e-3).weightDecay(0.01).gradientPath(GradientPath.LOOP).build();
    DpRewardResult r = new DpRewardTrainer(new DpRewardConfig(dp, false)).train(dpModel, data);
    new RewardTrainer(RewardTrainerConfig.builder().batchSize(6).maxSteps(1).learningRate(1e-3).weightDecay(0.01)
        .clipNorm(Double.POSITIVE_INFINITY).useMargins(false).build()).train(plain, data);

    assertThat(r.epsilon()).isInfinite();
    assertThat(r.training().privacyHistory()).isEmpty();
    assertThat(r.training().clippedFraction()).isZero();
    assertThat(diff(dpModel.headWeight(), plain.headWeight())).isLessThan(1e-5);
    assertThat(dpModel.headBias().getDouble(0)).isEqualTo(plain.headBias().getDouble(0));
    Map<String, INDArray> a = dpModel.backbone().weights().asMap();
    Map<String, INDArray> b = plain.backbone().weights().asMap();
    for (Map.Entry<String, INDArray> e : a.entrySet()) {
      // The final layer norm's bias and the key biases shift every reward (every attention score) alike, so
      // their true gradient is 0 and AdamW's first step, about lr * g / |g|, turns float rounding into noise.
      if (!e.getKey().equals("lnf.b") && !e.getKey().endsWith(".attn.bk")) {
        assertThat(diff(e.getValue(), b.get(e.getKey()))).as(e.getKey()).isLessThan(1e-5);
      }
    }
    // and the step did move the weights
    assertThat(DpFixtures.maxDiff(a, fresh(5).backbone().weights().asMap())).isGreaterThan(5e-4);
  }

  @Test
  void theSameSeedGivesTheSameWeights() {
    Dataset<PreferencePair> data = SyntheticPreferences.lengthBalanced(12, 4);
    DpSgdConfig.Builder b = DpSgdConfig.builder().noiseMultiplier(1.0).sampleRate(0.5).steps(2)
        .clippingMode(ClippingMode.PER_LAYER).delta(1e-3).seed(9);
    TransformerRewardModel m1 = new DpRewardTrainer(DpRewardConfig.of(b.build())).train(fresh(2), data).model();
    TransformerRewardModel m2 = new DpRewardTrainer(DpRewardConfig.of(b.build())).train(fresh(2), data).model();
    TransformerRewardModel m3 =
        new DpRewardTrainer(DpRewardConfig.of(b.seed(10).build())).train(fresh(2), data).model();
    assertThat(m1.headWeight()).isEqualTo(m2.headWeight()).isNotEqualTo(m3.headWeight());
    Map<String, INDArray> w2 = m2.backbone().weights().asMap();
    m1.backbone().weights().asMap().forEach((k, v) -> assertThat(w2.get(k)).as(k).isEqualTo(v));
  }

  @Test
  void badInputNamesTheParameterAndValue() {
    DpSgdConfig ok = DpSgdConfig.builder().noiseMultiplier(1).sampleRate(0.5).steps(1).build();
    assertThatThrownBy(() -> new DpRewardTrainer(DpRewardConfig.of(ok))
        .train(fresh(1), Dataset.of("none", List.<PreferencePair>of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none").hasMessageContaining("empty");
    Dataset<PreferencePair> tooLong =
        Dataset.of("long", List.of(new PreferencePair("p7", "ab:", "x".repeat(30), "y.")));
    assertThatThrownBy(() -> new DpRewardTrainer(DpRewardConfig.of(ok)).train(fresh(1), tooLong))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p7").hasMessageContaining("30");
    DpSgdConfig tooLarge = DpSgdConfig.builder().noiseMultiplier(1).expectedBatchSize(20).build();
    assertThatThrownBy(() -> new DpRewardTrainer(DpRewardConfig.of(tooLarge))
        .train(fresh(1), SyntheticPreferences.lengthBalanced(8, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedBatchSize")
        .hasMessageContaining("20.0");
    assertThatThrownBy(() -> new RewardPair(new int[] {1}, new int[] {2}, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("margin").hasMessageContaining("NaN");
    assertThatThrownBy(() -> new RewardPair(new int[0], new int[] {2}, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chosen").hasMessageContaining("0");
    assertThatThrownBy(() -> DpSgdConfig.builder().noiseMultiplier(0).sampleRate(0.5).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noiseMultiplier")
        .hasMessageContaining("0.0");
  }

  private static double diff(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }
}
