package org.align4j.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java loops of a small layer norm against its ND4J operations (taken for a view of the same values), forward
 * and backward, on a perturbed gain and bias.
 */
class LayerNormTest {

  @Test
  void javaLoopsAgreeWithTheNd4jOperations() {
    TransformerLm model = TinyModels.perturbed(8, 3, 0.3);
    TransformerWeights w = model.weights();
    int d = model.config().dModel();
    int n = 37;
    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.randn(DataType.FLOAT, n, d).muli(3).addi(1);
    INDArray dOut = Nd4j.randn(DataType.FLOAT, n, d);
    // the same values at an offset in larger arrays: views, which take the ND4J operations
    INDArray xView = Nd4j.create(DataType.FLOAT, 2, n, d).slice(1).assign(x);
    INDArray dOutView = Nd4j.create(DataType.FLOAT, 2, n, d).slice(1).assign(dOut);

    LayerNorm java = new LayerNorm(w, "l0.ln1", x);
    LayerNorm operations = new LayerNorm(w, "l0.ln1", xView);
    assertClose(java.out, operations.out);
    List<GradientTerm> javaTerms = new ArrayList<>();
    List<GradientTerm> operationTerms = new ArrayList<>();
    INDArray javaDx = java.backward(dOut, 1, javaTerms);
    INDArray operationDx = operations.backward(dOutView, 1, operationTerms);
    assertClose(javaDx, operationDx);
    assertThat(javaDx.norm2Number().doubleValue()).isGreaterThan(1);
    assertThat(javaTerms).hasSize(2).hasSameSizeAs(operationTerms);
    for (int i = 0; i < javaTerms.size(); i++) {
      assertThat(javaTerms.get(i).names()).isEqualTo(operationTerms.get(i).names());
      assertClose(javaTerms.get(i).gradients(new double[] {1}).get(0),
          operationTerms.get(i).gradients(new double[] {1}).get(0));
    }
  }

  private static void assertClose(INDArray actual, INDArray expected) {
    double scale = Math.max(1, expected.amaxNumber().doubleValue());
    assertThat(actual.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5 * scale);
  }
}
