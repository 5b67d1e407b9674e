package org.align4j.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Views of float memory, and the in-place addition over them, against ND4J's own operations. */
class FloatViewsTest {

  @Test
  void viewsWriteThroughAndRefuseWhatIsNotPlainFloatMemory() {
    INDArray a = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
    FloatViews.of(a).put(4, 50f);
    assertThat(a.getFloat(1, 1)).isEqualTo(50f);
    assertThat(FloatViews.of(a.transpose())).isNull();
    assertThat(FloatViews.of(a.getRow(1))).isNull();
    assertThat(FloatViews.of(a.castTo(DataType.DOUBLE))).isNull();
  }

  @Test
  void addInPlaceEqualsNd4jsAdditionBitForBitOnViewsAndOtherwise() {
    Nd4j.getRandom().setSeed(4);
    INDArray values = Nd4j.randn(DataType.FLOAT, 7, 5);
    INDArray plain = Nd4j.randn(DataType.FLOAT, 7, 5);
    INDArray expected = plain.add(values);
    FloatViews.addInPlace(plain, values);
    assertThat(plain.data().asFloat()).containsExactly(expected.data().asFloat());

    INDArray transposed = Nd4j.randn(DataType.FLOAT, 5, 7).transpose();
    INDArray expectedTransposed = transposed.add(values);
    FloatViews.addInPlace(transposed, values);
    assertThat(transposed.equals(expectedTransposed)).isTrue();

    assertThatThrownBy(() -> FloatViews.addInPlace(plain, Nd4j.zeros(DataType.FLOAT, 5, 7)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[7, 5]").hasMessageContaining("[5, 7]");
  }
}
