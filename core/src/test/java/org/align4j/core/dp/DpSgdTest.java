package org.align4j.core.dp;

import static org.align4j.core.dp.DpFixtures.CONTEXT;
import static org.align4j.core.dp.DpFixtures.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.train.AdamW;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The DP-SGD step: the non-private limit, the noise's scale, empty batches, determinism, bad settings. */
class DpSgdTest {

  private static DpSgd<TokenSequence> engine(TransformerLm model, DpSgd.Settings settings, GradientPath path) {
    PerExampleGradients<TokenSequence> g =
        path.build(model.weights(), Map.of(), new SequenceNllLoss(), CONTEXT, 4, false);
    return new DpSgd<>(g, model.weights().asMap(), settings,
        new AdamW(AdamW.Config.withWeightDecay(0.01), TransformerWeights::decays));
  }

  @Test
  void withoutNoiseAndClippingTheStepIsTheOrdinaryMeanGradientStep() {
    TransformerLm model = DpFixtures.model(5);
    TransformerLm reference = model.copy();
    List<TokenSequence> batch = DpFixtures.sequences(6, 21);
    // q = 1: the expected batch size is the batch size
    DpSgd.Settings settings = new DpSgd.Settings(0, 1e9, ClippingMode.FLAT, batch.size(), 1, true);
    DpSgd<TokenSequence> dp = engine(model, settings, GradientPath.BACKPROP);
    Map<String, INDArray> mean = DpFixtures.fullBatchGradient(reference, batch);
    mean.values().forEach(v -> v.divi(batch.size()));
    assertThat(maxDiff(dp.privateGradient(batch).gradient(), mean)).isLessThan(1e-5);

    double lr = 1e-3;
    ClipStats stats = dp.step(batch, lr);
    assertThat(stats.clipped()).isZero();
    new AdamW(AdamW.Config.withWeightDecay(0.01), TransformerWeights::decays)
        .update(reference.weights().asMap(), mean, lr);
    assertThat(maxDiff(model.weights().asMap(), reference.weights().asMap())).isLessThan(1e-5);
    assertThat(dp.steps()).isEqualTo(1);
  }

  @Test
  void anEngineWithoutOptimiserGivesTheSamePrivateGradientAndRefusesToStep() {
    TransformerLm model = DpFixtures.model(5);
    List<TokenSequence> batch = DpFixtures.sequences(4, 22);
    DpSgd.Settings settings = DpSgd.Settings.of(0.9, 0.5, ClippingMode.FLAT, 4, 3);
    Map<String, INDArray> withOptimiser = copy(engine(model, settings, GradientPath.LOOP).privateGradient(batch));
    DpSgd<TokenSequence> gradientsOnly = new DpSgd<>(GradientPath.LOOP.build(model.weights(), Map.of(),
        new SequenceNllLoss(), CONTEXT, 4, false), model.weights().asMap(), settings);
    assertThat(maxDiff(gradientsOnly.privateGradient(batch).gradient(), withOptimiser)).isZero();
    assertThatThrownBy(() -> gradientsOnly.step(batch, 1e-3)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("optimiser");
  }

  private static Map<String, INDArray> copy(DpSgd.NoisyGradient g) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    g.gradient().forEach((k, v) -> out.put(k, v.dup()));
    return out;
  }

  @Test
  void noiseHasStandardDeviationSigmaCOverTheExpectedBatchSize() {
    TransformerLm model = DpFixtures.model(6);
    double sigma = 1.3;
    double c = 0.7;
    double expected = 4.0;
    DpSgd<TokenSequence> dp = engine(model, DpSgd.Settings.of(sigma, c, ClippingMode.FLAT, expected, 9),
        GradientPath.LOOP);
    double sum = 0;
    double sumSq = 0;
    long count = 0;
    for (int draw = 0; draw < 20; draw++) {
      // an empty batch: the private gradient is the noise alone
      for (INDArray g : dp.privateGradient(List.of()).gradient().values()) {
        double[] v = g.ravel().toDoubleVector();
        for (double x : v) {
          sum += x;
          sumSq += x * x;
          count++;
        }
      }
    }
    double mean = sum / count;
    double std = Math.sqrt(sumSq / count - mean * mean);
    double target = sigma * c / expected;
    // count is about 20 x 8,800; the relative standard error of the std estimate is about 1/sqrt(2 count)
    assertThat(count).isGreaterThan(170_000);
    assertThat(std).isBetween(target * 0.99, target * 1.01);
    assertThat(Math.abs(mean)).isLessThan(4 * target / Math.sqrt(count));
  }

  @Test
  void emptyBatchIsANoisyStepAndTheSameSeedGivesTheSameWeights() {
    List<TokenSequence> batch = DpFixtures.sequences(3, 4);
    TransformerLm a = DpFixtures.model(8);
    TransformerLm b = DpFixtures.model(8);
    TransformerLm before = a.copy();
    DpSgd<TokenSequence> da = engine(a, DpSgd.Settings.of(1.0, 1.0, ClippingMode.PER_LAYER, 3, 77),
        GradientPath.LOOP);
    DpSgd<TokenSequence> db = engine(b, DpSgd.Settings.of(1.0, 1.0, ClippingMode.PER_LAYER, 3, 77),
        GradientPath.BACKPROP);
    ClipStats empty = da.step(List.of(), 1e-3);
    db.step(List.of(), 1e-3);
    assertThat(empty.examples()).isZero();
    assertThat(da.steps()).isEqualTo(1);
    assertThat(maxDiff(a.weights().asMap(), before.weights().asMap())).isGreaterThan(1e-4);
    da.step(batch, 1e-3);
    db.step(batch, 1e-3);
    // same seed: same noise; the two gradient paths agree to float rounding
    assertThat(maxDiff(a.weights().asMap(), b.weights().asMap())).isLessThan(1e-6);
  }

  @Test
  void badSettingsNameTheParameterAndValue() {
    assertThatThrownBy(() -> DpSgd.Settings.of(0, 1, ClippingMode.FLAT, 4, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noiseMultiplier")
        .hasMessageContaining("0.0");
    assertThatThrownBy(() -> DpSgd.Settings.of(-1, 1, ClippingMode.FLAT, 4, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noiseMultiplier")
        .hasMessageContaining("-1.0");
    assertThatThrownBy(() -> new DpSgd.Settings(0.5, 1, ClippingMode.FLAT, 4, 1, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noiseMultiplier");
    assertThatThrownBy(() -> DpSgd.Settings.of(1, 0, ClippingMode.FLAT, 4, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clipNorm")
        .hasMessageContaining("0.0");
    assertThatThrownBy(() -> DpSgd.Settings.of(1, -2, ClippingMode.FLAT, 4, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clipNorm");
    assertThatThrownBy(() -> DpSgd.Settings.of(1, 1, ClippingMode.FLAT, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedBatchSize");
  }
}
