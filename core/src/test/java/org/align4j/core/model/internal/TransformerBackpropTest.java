package org.align4j.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TransformerBackpropTest {

  private static final int B = 3;
  private static final int T = 7;

  @Test
  void gradientsEqualSameDiffsForALossOnLogitsAndHiddenStates() {
    TransformerLm model = TinyModels.perturbed(8, 21, 0.3);
    SplittableRandom random = new SplittableRandom(4);
    int[][] tokens = randomTokens(random);
    int[][] targets = randomTokens(random);
    float[][] weights = new float[B][T];
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < T - i; j++) { // row i ends in i ignored (padding) positions
        weights[i][j] = (float) random.nextDouble(0.2, 1.5);
      }
    }
    INDArray r = Nd4j.create(DataType.FLOAT, (long) B * T, 16);
    for (long i = 0; i < r.length(); i++) {
      r.putScalar(i, random.nextGaussian());
    }

    TransformerGraph graph = TransformerGraph.create(model.weights(), T, false);
    SameDiff sd = graph.sameDiff();
    SDVariable tgt = sd.placeHolder("targets", DataType.INT, -1, T);
    SDVariable mask = sd.placeHolder("mask", DataType.FLOAT, -1, T);
    SDVariable probe = sd.placeHolder("probe", DataType.FLOAT, -1, 16);
    SDVariable loss = sd.sum(graph.tokenLogProbs(tgt).mul(mask)).neg().add(sd.sum(graph.hidden().mul(probe)))
        .rename("loss");
    sd.setLossVariables(loss);
    Map<String, INDArray> ph = new HashMap<>();
    ph.put("tokens", Nd4j.createFromArray(tokens));
    ph.put("targets", Nd4j.createFromArray(targets));
    ph.put("mask", Nd4j.createFromArray(weights));
    ph.put("probe", r);
    TransformerGraph.Gradients expected = graph.gradients(ph, "loss");

    TransformerBackprop.Step step = new TransformerBackprop(model.weights()).gradients(tokens, false, pass -> {
      TokenCrossEntropy.Result ce = TokenCrossEntropy.of(pass.logits(), flat(targets), flat(weights));
      double hiddenTerm = pass.hidden().mul(r).sumNumber().doubleValue();
      return new TransformerBackprop.LossGradient(ce.loss() + hiddenTerm, r, ce.dLogits());
    });
    assertThat(step.loss())
        .isCloseTo(expected.outputs().get("loss").getDouble(0), within(1e-4 * Math.abs(step.loss())));
    Map<String, INDArray> got = step.gradients();

    assertThat(got.keySet()).containsExactlyElementsOf(TransformerWeights.names(model.config()));
    for (String name : got.keySet()) {
      INDArray e = expected.byWeight().get(name);
      INDArray g = got.get(name);
      assertThat(g.shape()).as(name).isEqualTo(e.shape());
      double scale = Math.max(1e-3, e.amaxNumber().doubleValue());
      double diff = g.sub(e).amaxNumber().doubleValue();
      assertThat(diff).as(name + " max abs error (gradient scale " + scale + ")").isLessThan(2e-4 * scale + 1e-6);
    }
  }

  @Test
  void workspaceReuseAcrossBatchSizesGivesIdenticalResults() {
    TransformerLm model = TinyModels.perturbed(8, 2, 0.3);
    TransformerBackprop backprop = new TransformerBackprop(model.weights());
    SplittableRandom random = new SplittableRandom(3);
    int[][] small = randomTokens(random);
    int[][] large = new int[4 * B][];
    for (int i = 0; i < large.length; i++) {
      large[i] = randomTokens(random)[0];
    }
    TransformerBackprop.Objective sumOfHidden =
        pass -> new TransformerBackprop.LossGradient(pass.hidden().sumNumber().doubleValue(),
            Nd4j.onesLike(pass.hidden()), null);
    TransformerBackprop.Step first = backprop.gradients(small, false, sumOfHidden);
    backprop.gradients(large, false, sumOfHidden);
    TransformerBackprop.Step again = backprop.gradients(small, false, sumOfHidden);
    assertThat(again.loss()).isEqualTo(first.loss());
    first.gradients().forEach((name, g) -> assertThat(again.gradients().get(name)).as(name).isEqualTo(g));
    double evaluated = backprop.evaluate(small, pass -> pass.hidden().sumNumber().doubleValue());
    assertThat(evaluated).isEqualTo(first.loss());
  }

  @Test
  void dropoutGradientsMatchFiniteDifferencesUnderTheSameMasks() {
    TransformerConfig config = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
        .contextLength(8).dModel(16).heads(2).layers(2).mlpRatio(2).dropout(0.3).build();
    TransformerLm model = TransformerLm.create(config, ByteTokenizer.INSTANCE, 5);
    SplittableRandom random = new SplittableRandom(6);
    int[][] tokens = randomTokens(random);
    int[] targets = flat(randomTokens(random));
    float[] weights = new float[B * T];
    java.util.Arrays.fill(weights, 1f);
    TransformerBackprop backprop = new TransformerBackprop(model.weights());

    Nd4j.getRandom().setSeed(77);
    TransformerBackprop.Pass pass = backprop.forward(tokens, true);
    TokenCrossEntropy.Result ce = TokenCrossEntropy.of(pass.logits(), targets, weights);
    Map<String, INDArray> grads = pass.backward(null, ce.dLogits());
    Nd4j.getRandom().setSeed(77);
    double again = TokenCrossEntropy.of(backprop.forward(tokens, true).logits(), targets, weights).loss();
    double noDropout = TokenCrossEntropy.of(backprop.forward(tokens, false).logits(), targets, weights).loss();
    assertThat(again).isEqualTo(ce.loss());
    assertThat(noDropout).isNotCloseTo(ce.loss(), within(1e-3));

    double eps = 1e-2;
    for (String name : List.of("tok_emb", "pos_emb", "l0.attn.wq", "l0.attn.bk", "l1.attn.wv", "l1.attn.wo",
        "l0.mlp.w1", "l1.mlp.b2", "l1.ln2.g", "lnf.b")) {
      INDArray p = model.weights().get(name);
      INDArray flatP = p.reshape(p.length());
      long index = name.equals("tok_emb") ? tokens[0][2] * p.size(1) + 3 : Math.min(5, p.length() - 1);
      double original = flatP.getDouble(index);
      flatP.putScalar(index, original + eps);
      Nd4j.getRandom().setSeed(77);
      double up = TokenCrossEntropy.of(backprop.forward(tokens, true).logits(), targets, weights).loss();
      flatP.putScalar(index, original - eps);
      Nd4j.getRandom().setSeed(77);
      double down = TokenCrossEntropy.of(backprop.forward(tokens, true).logits(), targets, weights).loss();
      flatP.putScalar(index, original);
      double numeric = (up - down) / (2 * eps);
      double analytic = grads.get(name).reshape(p.length()).getDouble(index);
      assertThat(analytic).as(name).isCloseTo(numeric, within(2e-2 * Math.max(1, Math.abs(numeric))));
    }
  }

  @Test
  void crossEntropyEqualsFloat64LogSumExpAndStaysFiniteAtExtremeLogits() {
    SplittableRandom random = new SplittableRandom(9);
    int n = 6;
    int v = 5;
    double[][] logits = new double[n][v];
    for (double[] row : logits) {
      for (int j = 0; j < v; j++) {
        row[j] = random.nextGaussian() * 3;
      }
    }
    logits[4] = new double[] {1e4, -1e4, 0, 3e4, -3e4};
    logits[5] = new double[] {-1e30, 0, 0, 0, 0};
    int[] targets = {0, 1, 2, 3, 1, 0};
    float[] weights = {1f, 0.5f, 0f, 2f, 1f, 0.25f};
    TokenCrossEntropy.Result result = TokenCrossEntropy.of(Nd4j.createFromArray(toFloat(logits)), targets, weights);

    double expected = 0;
    for (int r = 0; r < n; r++) {
      float[] row = toFloat(logits)[r];
      double max = Double.NEGATIVE_INFINITY;
      for (float x : row) {
        max = Math.max(max, x);
      }
      double sum = 0;
      for (float x : row) {
        sum += Math.exp(x - max);
      }
      double lse = max + Math.log(sum);
      if (weights[r] != 0) {
        expected -= weights[r] * (row[targets[r]] - lse);
      }
      for (int j = 0; j < v; j++) {
        double grad = weights[r] * (Math.exp(row[j] - lse) - (j == targets[r] ? 1 : 0));
        assertThat(result.dLogits().getDouble(r, j)).as("row %d col %d", r, j).isCloseTo(grad, within(1e-6));
      }
    }
    assertThat(result.loss()).isCloseTo(expected, within(1e-4 * Math.abs(expected)));
    assertThat(Double.isFinite(result.loss())).isTrue();
  }

  @Test
  void badInputGivesClearErrors() {
    TransformerBackprop backprop = new TransformerBackprop(TinyModels.perturbed(8, 1, 0.1).weights());
    assertThatThrownBy(() -> backprop.forward(new int[][] {{1, 2}, {3}}, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows must all have 2 tokens");
    assertThatThrownBy(() -> backprop.forward(new int[][] {new int[9]}, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceed the context of 8");
    TransformerBackprop.Pass pass = backprop.forward(new int[][] {{1, 2}}, false);
    assertThatThrownBy(() -> pass.backward(null, null)).isInstanceOf(IllegalArgumentException.class);
    pass.backward(pass.hidden(), null);
    assertThatThrownBy(() -> pass.backward(pass.hidden(), null)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TokenCrossEntropy.of(pass.logits(), new int[] {1}, new float[] {1, 1}))
        .hasMessageContaining("one entry per logit row");
    assertThatThrownBy(() -> TokenCrossEntropy.of(pass.logits(), new int[] {1, 300}, new float[] {1, 1}))
        .hasMessageContaining("target 300 of row 1");
  }

  private static int[][] randomTokens(SplittableRandom random) {
    int[][] tokens = new int[B][T];
    for (int[] row : tokens) {
      for (int j = 0; j < T; j++) {
        row[j] = random.nextInt(ByteTokenizer.INSTANCE.vocabSize());
      }
    }
    return tokens;
  }

  private static int[] flat(int[][] a) {
    return java.util.Arrays.stream(a).flatMapToInt(java.util.Arrays::stream).toArray();
  }

  private static float[] flat(float[][] a) {
    float[] out = new float[a.length * a[0].length];
    for (int i = 0; i < a.length; i++) {
      System.arraycopy(a[i], 0, out, i * a[0].length, a[0].length);
    }
    return out;
  }

  private static float[][] toFloat(double[][] a) {
    float[][] out = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = new float[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = (float) a[i][j];
      }
    }
    return out;
  }
}
