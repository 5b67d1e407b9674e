package org.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The global gradient norm against a float64 sum over every element, views included, and clipping to it. */
class GradientClippingTest {

  @Test
  void theGlobalNormIsTheFloat64NormOfEveryElementAndClippingScalesToTheBound() {
    Nd4j.getRandom().setSeed(3);
    Map<String, INDArray> grads = new LinkedHashMap<>();
    grads.put("w", Nd4j.randn(DataType.FLOAT, 7, 5));
    grads.put("b", Nd4j.randn(DataType.FLOAT, 1, 5).muli(1e3));
    grads.put("view", Nd4j.randn(DataType.FLOAT, 5, 3).transpose());
    double sum = 0;
    for (INDArray g : grads.values()) {
      for (double v : g.dup('c').data().asDouble()) {
        sum += v * v;
      }
    }
    double expected = Math.sqrt(sum);
    assertThat(GradientClipping.globalNorm(grads)).isCloseTo(expected, within(1e-9 * expected));

    assertThat(GradientClipping.clipByGlobalNorm(grads, 2.0)).isCloseTo(expected, within(1e-9 * expected));
    assertThat(GradientClipping.globalNorm(grads)).isCloseTo(2.0, within(1e-5));
    assertThat(GradientClipping.clipByGlobalNorm(grads, Double.POSITIVE_INFINITY)).isCloseTo(2.0, within(1e-5));
  }
}
