package org.align4j.core.dp;

import static org.align4j.core.dp.DpFixtures.CONTEXT;
import static org.align4j.core.dp.DpFixtures.maxAbs;
import static org.align4j.core.dp.DpFixtures.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.TransformerLm;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plain step's gradient of a per-example loss: the batch mean of the loss the private step clips, equal on the
 * hand-written passes and through the whole SameDiff graph, heads and directly read parameters included; the
 * loss's outputs of a forward pass alone.
 */
class BatchGradientsTest {

  /**
   * Row b's loss: {@code (head output at its last position + shift)²}, with the sums as an output (the placeholders
   * of {@link HeadLossTest.LastPositionSquare}).
   */
  static final class ShiftedSquare extends HeadLossTest.LastPositionSquare {
    @Override
    public SDVariable build(ExampleGraph graph) {
      SameDiff sd = graph.sameDiff();
      SDVariable pick = sd.placeHolder("pick", DataType.FLOAT, -1, graph.seqLen());
      SDVariable value = sd.reshape(graph.head("value"), -1, graph.seqLen());
      SDVariable shifted = sd.sum(value.mul(pick), 1).add(sd.reshape(graph.parameter("shift"), -1));
      return sd.math.square(shifted.rename("shifted"));
    }

    @Override
    public List<String> outputs() {
      return List.of("shifted");
    }
  }

  private static Map<String, INDArray> extras(TransformerLm model) {
    Nd4j.getRandom().setSeed(3);
    Map<String, INDArray> extra = new LinkedHashMap<>();
    extra.put("value", Nd4j.rand(DataType.FLOAT, model.config().dModel(), 1).subi(0.5));
    extra.put("shift", Nd4j.createFromArray(0.4f));
    return extra;
  }

  @Test
  void theBatchMeanOnBothPathsEqualsTheSummedGraphGradientOverTheBatchSize() {
    TransformerLm model = DpFixtures.model(8);
    Map<String, INDArray> extra = extras(model);
    List<TokenSequence> batch = DpFixtures.sequences(4, 9);
    ShiftedSquare loss = new ShiftedSquare();
    DpFixtures.FullBatch reference = DpFixtures.fullBatch(model.weights(), extra, loss, batch, CONTEXT);
    Map<String, INDArray> expected = new LinkedHashMap<>();
    reference.gradients().forEach((name, g) -> expected.put(name, g.div(batch.size())));
    double expectedLoss = java.util.Arrays.stream(reference.losses()).average().orElseThrow();
    for (GradientPath path : new GradientPath[] {GradientPath.BACKPROP, GradientPath.LOOP}) {
      BatchGradients.Result got =
          BatchGradients.create(model.weights(), extra, loss, CONTEXT, false, path).compute(batch);
      assertThat(got.loss()).as("%s loss", path).isCloseTo(expectedLoss, within(1e-5 * expectedLoss));
      assertThat(got.gradients().keySet()).as("%s parameters", path).containsAll(expected.keySet())
          .hasSize(expected.size());
      assertThat(maxDiff(expected, got.gradients())).as("%s gradients", path)
          .isLessThan(1e-4 * Math.max(1e-2, maxAbs(expected)));
      assertThat(got.gradients().get("shift").amaxNumber().doubleValue()).as("%s shift", path).isGreaterThan(1e-3);
      double[] shifted = got.outputs().get("shifted").toDoubleVector();
      assertThat(shifted).hasSize(batch.size());
      assertThat(shifted[0] * shifted[0]).isCloseTo(reference.losses()[0], within(1e-5));
    }
  }

  @Test
  void theForwardOutputsOnBothPathsEqualThoseOfTheTrainingPass() {
    TransformerLm model = DpFixtures.model(8);
    Map<String, INDArray> extra = extras(model);
    List<TokenSequence> batch = DpFixtures.sequences(4, 9);
    for (GradientPath path : new GradientPath[] {GradientPath.BACKPROP, GradientPath.LOOP}) {
      BatchGradients<TokenSequence> step =
          BatchGradients.create(model.weights(), extra, new ShiftedSquare(), CONTEXT, false, path);
      Map<String, INDArray> forward = step.outputs(batch);
      Map<String, INDArray> trained = step.compute(batch).outputs();
      assertThat(forward.keySet()).as("%s outputs", path).containsExactly("shifted");
      assertThat(forward.get("shifted").toDoubleVector()).as("%s shifted", path)
          .containsExactly(trained.get("shifted").toDoubleVector(), within(1e-6));
    }
    assertThatThrownBy(() -> BatchGradients.create(model.weights(), extra, new ShiftedSquare(), CONTEXT, false)
        .outputs(List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
  }

  @Test
  void perExampleClippingRefusesALossThatReadsAParameterDirectly() {
    TransformerLm model = DpFixtures.model(8);
    Map<String, INDArray> extra = new LinkedHashMap<>(extras(model));
    extra.put("shift", Nd4j.zeros(DataType.FLOAT, model.config().dModel(), 1));
    PerExampleGradients<TokenSequence> perExample =
        GradientPath.BACKPROP.build(model.weights(), extra, new ShiftedSquare(), CONTEXT, 4, false);
    assertThatThrownBy(() -> perExample.compute(DpFixtures.sequences(2, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shift").hasMessageContaining("directly");
    assertThatThrownBy(() -> BatchGradients.create(model.weights(), extra, new ShiftedSquare(), CONTEXT, false)
        .compute(List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
  }
}
