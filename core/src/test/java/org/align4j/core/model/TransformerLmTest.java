package org.align4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.internal.TransformerGraph;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TransformerLmTest {

  private static final ByteTokenizer TOK = ByteTokenizer.INSTANCE;

  private static int[] bytes(String text) {
    int[] body = TOK.encode(text);
    int[] s = new int[body.length + 1];
    s[0] = TOK.bosId();
    System.arraycopy(body, 0, s, 1, body.length);
    return s;
  }

  @Test
  void logProbsEqualHandComputedLogSoftmax() {
    TransformerLm model = TinyModels.perturbed(16, 3, 0.3);
    ReferenceForward reference = new ReferenceForward(model.weights());
    List<int[]> seqs = List.of(bytes("hello"), bytes("def f(x):\n  r"), bytes("a"), bytes("0123456789abcde"));
    List<float[]> got = model.tokenLogProbs(seqs);
    for (int i = 0; i < seqs.size(); i++) {
      double[] want = reference.tokenLogProbs(seqs.get(i));
      assertThat(got.get(i)).hasSize(want.length);
      for (int t = 0; t < want.length; t++) {
        assertThat((double) got.get(i)[t]).as("seq %d token %d", i, t).isCloseTo(want[t], within(2e-4));
      }
    }
  }

  @Test
  void trainingGraphComputesTheSameLogProbs() {
    TransformerLm model = TinyModels.perturbed(16, 5, 0.3);
    int[] s = bytes("abcdefghijklmno");
    TransformerGraph graph = TransformerGraph.create(model.weights(), 15, false);
    SDVariable targets = graph.sameDiff().placeHolder("targets", DataType.INT, -1, 15);
    SDVariable lp = graph.tokenLogProbs(targets);
    int[][] in = {java.util.Arrays.copyOf(s, 15)};
    int[][] tg = {java.util.Arrays.copyOfRange(s, 1, 16)};
    INDArray out = graph.sameDiff().output(
        Map.of("tokens", Nd4j.createFromArray(in), "targets", Nd4j.createFromArray(tg)), lp.name()).get(lp.name());
    float[] want = model.tokenLogProbs(List.of(s)).get(0);
    for (int t = 0; t < 15; t++) {
      assertThat(out.getDouble(0, t)).isCloseTo(want[t], within(1e-4));
    }
  }

  @Test
  void graphGradientMatchesFiniteDifferences() {
    TransformerLm model = TinyModels.perturbed(8, 7, 0.3);
    TransformerGraph graph = TransformerGraph.create(model.weights(), 7, false);
    SDVariable targets = graph.sameDiff().placeHolder("targets", DataType.INT, -1, 7);
    SDVariable loss = graph.sameDiff().sum(graph.tokenLogProbs(targets)).neg().rename("loss");
    graph.sameDiff().setLossVariables(loss);
    int[] s = bytes("gradien");
    Map<String, INDArray> ph = new HashMap<>();
    ph.put("tokens", Nd4j.createFromArray(new int[][] {java.util.Arrays.copyOf(s, 7)}));
    ph.put("targets", Nd4j.createFromArray(new int[][] {java.util.Arrays.copyOfRange(s, 1, 8)}));
    Map<String, INDArray> grads = graph.gradients(ph, "loss").byWeight();
    double eps = 1e-2;
    for (String name : List.of("tok_emb", "pos_emb", "l0.attn.wq", "l0.attn.wk", "l1.attn.wv", "l1.mlp.w1",
        "l0.ln1.g", "l1.mlp.b2", "lnf.b")) {
      INDArray p = model.weights().get(name);
      INDArray flat = p.reshape(p.length());
      long index = name.equals("tok_emb") ? s[2] * p.size(1) + 3 : Math.min(5, p.length() - 1);
      double original = flat.getDouble(index);
      flat.putScalar(index, original + eps);
      double up = lossOf(model, s);
      flat.putScalar(index, original - eps);
      double down = lossOf(model, s);
      flat.putScalar(index, original);
      double numeric = (up - down) / (2 * eps);
      double analytic = grads.get(name).reshape(p.length()).getDouble(index);
      assertThat(analytic).as(name).isCloseTo(numeric, within(2e-2 * Math.max(1, Math.abs(numeric))));
    }
  }

  @Test
  void extraParametersGetGradients() {
    TransformerLm model = TinyModels.perturbed(8, 9, 0.3);
    TransformerGraph graph = TransformerGraph.create(model.weights(), 4, false);
    INDArray head = Nd4j.createFromArray(new float[][] {{0.5f}, {-0.25f}}).reshape(2, 1);
    INDArray wide = Nd4j.zeros(DataType.FLOAT, 16, 2);
    wide.putScalar(0, 0, 1f);
    wide.putScalar(1, 1, 1f);
    SDVariable w = graph.addParameter("head", head);
    SDVariable picked = graph.hidden().mmul(graph.sameDiff().constant("pick", wide)).mmul(w);
    graph.sameDiff().setLossVariables(graph.sameDiff().sum(picked).rename("loss"));
    INDArray tokens = Nd4j.createFromArray(new int[][] {{256, 97, 98, 99}});
    TransformerGraph.Gradients g = graph.gradients(Map.of("tokens", tokens), "loss");
    INDArray hidden = graph.sameDiff().output(Map.of("tokens", tokens), graph.hidden().name())
        .get(graph.hidden().name());
    assertThat(g.byWeight().get("head").getDouble(0, 0)).isCloseTo(hidden.getColumn(0).sumNumber().doubleValue(),
        within(1e-4));
    assertThat(g.byWeight()).containsKey("tok_emb");
    assertThatThrownBy(() -> graph.addParameter("tok_emb", head)).hasMessageContaining("already exists");
  }

  private static double lossOf(TransformerLm model, int[] s) {
    float[] lp = model.tokenLogProbs(List.of(s)).get(0);
    double sum = 0;
    for (float v : lp) {
      sum -= v;
    }
    return sum;
  }

  @Test
  void lastHiddenStatesAreTheGraphsHiddenStatesAtTheLastToken() {
    TransformerLm model = TinyModels.perturbed(16, 8, 0.3);
    List<int[]> seqs = List.of(bytes("abc"), bytes("abcdefg"));
    INDArray got = model.lastHiddenStates(seqs);
    TransformerGraph graph = TransformerGraph.create(model.weights(), 8, false);
    int[][] tokens = {java.util.Arrays.copyOf(seqs.get(1), 8)};
    INDArray hidden = graph.sameDiff().output(Map.of("tokens", Nd4j.createFromArray(tokens)),
        graph.hidden().name()).get(graph.hidden().name());
    for (int j = 0; j < 16; j++) {
      assertThat(got.getDouble(1, j)).isCloseTo(hidden.getDouble(7, j), within(1e-4));
      assertThat(got.getDouble(0, j)).isCloseTo(hidden.getDouble(3, j), within(1e-4));
    }
  }

  @Test
  void cachedAndUncachedGreedyGenerationAgree() {
    TransformerLm model = TinyModels.perturbed(48, 11, 0.5);
    List<int[]> prompts = List.of(bytes("def "), bytes("import os\nimport"), bytes("x"), bytes("class Foo:"));
    GenerationConfig greedy = GenerationConfig.greedy(20).withStopAtEos(false);
    List<int[]> cached = model.generate(prompts, greedy, true);
    List<int[]> uncached = model.generate(prompts, greedy, false);
    for (int i = 0; i < prompts.size(); i++) {
      assertThat(cached.get(i)).hasSize(20).containsExactly(uncached.get(i));
    }
    List<int[]> one = model.generate(List.of(prompts.get(1)), greedy, true);
    assertThat(one.get(0)).containsExactly(cached.get(1));
  }

  @Test
  void generationRespectsContextAndSeeds() {
    TransformerLm model = TinyModels.perturbed(12, 13, 0.5);
    int[] prompt = bytes("abcdefgh");
    List<int[]> out = model.generate(List.of(prompt), GenerationConfig.greedy(50).withStopAtEos(false));
    assertThat(out.get(0)).hasSize(12 - prompt.length);
    GenerationConfig sampling = GenerationConfig.sampling(3, 1.0, 42).withStopAtEos(false);
    assertThat(model.generate(List.of(prompt), sampling).get(0))
        .containsExactly(model.generate(List.of(prompt), sampling).get(0));
    GenerationConfig topOne = GenerationConfig.sampling(4, 1.0, 7).withTopK(1).withStopAtEos(false);
    assertThat(model.generate(List.of(prompt), topOne).get(0))
        .containsExactly(model.generate(List.of(prompt), GenerationConfig.greedy(4).withStopAtEos(false)).get(0));
    GenerationConfig tinyNucleus = GenerationConfig.sampling(4, 1.0, 9).withTopP(1e-6).withStopAtEos(false);
    assertThat(model.generate(List.of(prompt), tinyNucleus).get(0))
        .containsExactly(model.generate(List.of(prompt), GenerationConfig.greedy(4).withStopAtEos(false)).get(0));
  }

  @Test
  void sampledRowsOfOneBatchAreNotShiftedCopies() {
    // A fresh model is close to uniform, so correlated row streams show as row i+1 repeating row i one step later.
    TransformerLm model = TransformerLm.create(TinyModels.config(32), TOK, 3);
    int[] prompt = bytes("x");
    List<int[]> rows = model.generate(List.of(prompt, prompt, prompt, prompt),
        GenerationConfig.sampling(12, 1.0, 5).withStopAtEos(false));
    int shifted = 0;
    for (int i = 0; i + 1 < rows.size(); i++) {
      for (int t = 0; t + 1 < 12; t++) {
        shifted += rows.get(i + 1)[t] == rows.get(i)[t + 1] ? 1 : 0;
      }
    }
    assertThat(shifted).isLessThan(4);
  }

  @Test
  void sameSeedSameWeights() {
    TransformerLm a = TransformerLm.create(TinyModels.config(16), TOK, 99);
    TransformerLm b = TransformerLm.create(TinyModels.config(16), TOK, 99);
    TransformerLm c = TransformerLm.create(TinyModels.config(16), TOK, 100);
    for (String name : a.weights().asMap().keySet()) {
      assertThat(a.weights().get(name)).isEqualTo(b.weights().get(name));
    }
    assertThat(a.weights().get("tok_emb")).isNotEqualTo(c.weights().get("tok_emb"));
  }

  @Test
  void badInputGivesClearErrors() {
    TransformerLm model = TinyModels.perturbed(8, 1, 0.1);
    assertThatThrownBy(() -> model.generate(List.of(new int[0]), GenerationConfig.greedy(2)))
        .hasMessageContaining("prompt is empty");
    assertThatThrownBy(() -> model.generate(List.of(new int[8]), GenerationConfig.greedy(2)))
        .hasMessageContaining("does not fit the context of 8");
    assertThatThrownBy(() -> model.tokenLogProbs(List.of(new int[] {1, 900})))
        .hasMessageContaining("token id 900 outside the vocabulary");
    assertThatThrownBy(() -> TransformerConfig.builder().dModel(10).heads(3).build())
        .hasMessageContaining("dModel must be divisible by heads");
    assertThatThrownBy(() -> TransformerConfig.builder().layers(0).build()).hasMessageContaining("layers");
    assertThatThrownBy(() -> TransformerConfig.builder().dropout(-0.1).build()).hasMessageContaining("dropout");
    TransformerConfig other = TransformerConfig.builder().vocabSize(100).build();
    assertThatThrownBy(() -> TransformerLm.create(other, TOK, 1))
        .hasMessageContaining("tokenizer has 259 tokens but the model's vocabulary has 100");
  }
}
