package org.align4j.core.dp;

import static org.align4j.core.dp.DpFixtures.CONTEXT;
import static org.align4j.core.dp.DpFixtures.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.align4j.core.model.TransformerLm;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A loss on an extra trainable head (as a DP reward model would use): both gradient paths give the same
 * per-example gradients, the head's included.
 */
class HeadLossTest {

  /** Row b's loss: the squared scalar head output at the row's last input position. */
  static class LastPositionSquare implements PerExampleLoss<TokenSequence> {
    @Override
    public SDVariable build(ExampleGraph graph) {
      SDVariable pick = graph.sameDiff().placeHolder("pick", DataType.FLOAT, -1, graph.seqLen());
      SDVariable value = graph.sameDiff().reshape(graph.head("value"), -1, graph.seqLen());
      return graph.sameDiff().sum(value.mul(value).mul(pick), 1);
    }

    @Override
    public Map<String, INDArray> placeholders(List<TokenSequence> examples, int rows, int seqLen) {
      int[][] tokens = new int[rows][seqLen];
      float[][] pick = new float[rows][seqLen];
      for (int i = 0; i < examples.size(); i++) {
        int len = inputLength(examples.get(i));
        System.arraycopy(examples.get(i).tokens(), 0, tokens[i], 0, len);
        pick[i][len - 1] = 1;
      }
      return Map.of("tokens", Nd4j.createFromArray(tokens), "pick", Nd4j.createFromArray(pick));
    }

    @Override
    public int inputLength(TokenSequence example) {
      return example.tokens().length - 1;
    }
  }

  @Test
  void headGradientsAgreeBetweenTheLoopAndTheHandWrittenPasses() {
    TransformerLm model = DpFixtures.model(12);
    Nd4j.getRandom().setSeed(12);
    INDArray head = Nd4j.rand(DataType.FLOAT, model.config().dModel(), 1).subi(0.5);
    List<TokenSequence> batch = DpFixtures.sequences(3, 5);
    Map<String, INDArray> extra = Map.of("value", head);
    PerExampleGradients<TokenSequence> loop =
        GradientPath.LOOP.build(model.weights(), extra, new LastPositionSquare(), CONTEXT, 3, false);
    PerExampleGradients<TokenSequence> vec =
        GradientPath.BACKPROP.build(model.weights(), extra, new LastPositionSquare(), CONTEXT, 3, false);
    assertThat(loop.parameterNames()).endsWith("value").isEqualTo(vec.parameterNames());
    List<Map<String, INDArray>> a = loop.compute(batch);
    List<Map<String, INDArray>> b = vec.compute(batch);
    for (int i = 0; i < batch.size(); i++) {
      double scale = a.get(i).values().stream().mapToDouble(g -> g.amaxNumber().doubleValue()).max().orElseThrow();
      assertThat(a.get(i).get("value").amaxNumber().doubleValue()).isGreaterThan(1e-3);
      // float32 sums in a different order: agreement relative to the largest gradient entry
      assertThat(maxDiff(a.get(i), b.get(i))).as("example " + i).isLessThan(1e-5 * Math.max(1, scale));
    }
    PerExampleClipping perLayer = new PerExampleClipping(1, ClippingMode.PER_LAYER, loop.parameterNames());
    assertThat(perLayer.groupCount()).isEqualTo(6);
    assertThatThrownBy(() -> perLayer.group("missing")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing");
  }
}
