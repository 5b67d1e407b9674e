package org.align4j.core.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.internal.TransformerGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff training graph's gradients for the imported architectures (rotary positions, grouped-query
 * attention, RMS norms, SwiGLU, QKV biases, untied output; GELU tanh) against central finite differences of the
 * loss computed by the separate inference pass.
 */
class HfGraphGradientTest {

  private static double loss(TransformerLm model, int[] s) {
    double sum = 0;
    for (float lp : model.tokenLogProbs(List.of(s)).get(0)) {
      sum -= lp;
    }
    return sum;
  }

  @ParameterizedTest
  @CsvSource({
      "llama, tok_emb l0.attn.wq l0.attn.wk l1.attn.wv l1.attn.wo l0.mlp.w1 l0.mlp.w3 l1.mlp.w2 l0.ln2.g lnf.g lm_head",
      "qwen2, tok_emb l0.attn.bq l0.attn.bk l1.attn.bv l0.attn.wk l1.mlp.w3 l1.ln1.g",
      "gpt2, tok_emb pos_emb l0.attn.wq l1.attn.bk l0.mlp.w1 l1.mlp.b1 l0.ln1.b lnf.g"})
  void gradientsMatchFiniteDifferences(String family, String names) {
    TransformerLm model = HfCheckpoints.load(HfFixtures.folder(family));
    int[] s = HfFixtures.ints(HfFixtures.json(family + "_reference.json").get("sequences").get(0));
    int t = s.length - 1;
    TransformerGraph graph = TransformerGraph.create(model.weights(), t, false);
    SDVariable targets = graph.sameDiff().placeHolder("targets", DataType.INT, -1, t);
    SDVariable loss = graph.sameDiff().sum(graph.tokenLogProbs(targets)).neg().rename("loss");
    graph.sameDiff().setLossVariables(loss);
    Map<String, INDArray> ph = new HashMap<>();
    ph.put("tokens", Nd4j.createFromArray(new int[][] {Arrays.copyOf(s, t)}));
    ph.put("targets", Nd4j.createFromArray(new int[][] {Arrays.copyOfRange(s, 1, t + 1)}));
    Map<String, INDArray> grads = graph.gradients(ph, "loss").byWeight();
    double eps = 1e-2;
    for (String name : names.split(" ")) {
      INDArray p = model.weights().get(name);
      INDArray flat = p.reshape(p.length());
      long index = name.equals("tok_emb") || name.equals("lm_head") ? s[2] * p.size(1) + 3
          : Math.min(5, p.length() - 1);
      double original = flat.getDouble(index);
      flat.putScalar(index, original + eps);
      double up = loss(model, s);
      flat.putScalar(index, original - eps);
      double down = loss(model, s);
      flat.putScalar(index, original);
      double numeric = (up - down) / (2 * eps);
      double analytic = grads.get(name).reshape(p.length()).getDouble(index);
      assertThat(analytic).as("%s %s", family, name).isCloseTo(numeric, within(2e-2 * Math.max(1,
          Math.abs(numeric))));
    }
  }
}
