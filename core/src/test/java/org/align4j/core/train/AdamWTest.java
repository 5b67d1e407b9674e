package org.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** AdamW against a slow float64 implementation of the paper's update, written out here. */
class AdamWTest {

  /** The textbook update, in doubles, one parameter at a time. */
  private static final class SlowAdamW {
    final double b1;
    final double b2;
    final double eps;
    final double wd;
    final double[] m;
    final double[] v;
    int t;

    SlowAdamW(AdamW.Config c, int n) {
      b1 = c.beta1();
      b2 = c.beta2();
      eps = c.epsilon();
      wd = c.weightDecay();
      m = new double[n];
      v = new double[n];
    }

    void update(double[] p, double[] g, double lr, boolean decay) {
      t++;
      for (int i = 0; i < p.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        double mHat = m[i] / (1 - Math.pow(b1, t));
        double vHat = v[i] / (1 - Math.pow(b2, t));
        if (decay) {
          p[i] -= lr * wd * p[i];
        }
        p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
      }
    }
  }

  @Test
  void matchesTheTextbookUpdateOverManyStepsWithAndWithoutDecay() {
    AdamW.Config config = AdamW.Config.withWeightDecay(0.1);
    SplittableRandom random = new SplittableRandom(3);
    int n = 12;
    double[] w = roundToFloat(random.doubles(n, -1, 1).toArray());
    double[] b = roundToFloat(random.doubles(n, -1, 1).toArray());
    // the moments of an earlier, garbage-filled allocation must not leak into a fresh optimiser's first step
    Nd4j.create(DataType.FLOAT, 3, 4).assign(1e6).close();
    Map<String, INDArray> params = Map.of("w", floats(w, 3, 4), "b", floats(b, 3, 4));
    AdamW adam = new AdamW(config, name -> name.equals("w"));
    SlowAdamW slowW = new SlowAdamW(config, n);
    SlowAdamW slowB = new SlowAdamW(config, n);
    for (int step = 0; step < 25; step++) {
      double[] gw = random.doubles(n, -2, 2).toArray();
      double[] gb = random.doubles(n, -1e-3, 1e-3).toArray();
      double lr = 1e-2 * (step + 1) / 25;
      adam.update(params, Map.of("w", floats(gw, 3, 4), "b", floats(gb, 3, 4)), lr);
      slowW.update(w, roundToFloat(gw), lr, true);
      slowB.update(b, roundToFloat(gb), lr, false);
      assertClose(params.get("w"), w);
      assertClose(params.get("b"), b);
    }
    assertThat(adam.steps()).isEqualTo(25);
  }

  @Test
  void theJavaPassGivesTheSameBitsAsTheNd4jOperations() {
    AdamW.Config config = AdamW.Config.withWeightDecay(0.01);
    SplittableRandom random = new SplittableRandom(5);
    int n = 1000;
    double[] start = random.doubles(n, -1, 1).toArray();
    INDArray fused = floats(start, 10, 100);
    // a parameter that is a view of a larger array takes the ND4J operations
    INDArray operations = Nd4j.create(DataType.FLOAT, 2, 10, 100);
    operations.slice(1).assign(fused);
    INDArray view = operations.slice(1);
    assertThat(view.isView()).isTrue();
    AdamW a = new AdamW(config, name -> true);
    AdamW b = new AdamW(config, name -> true);
    for (int step = 0; step < 20; step++) {
      double[] g = random.doubles(n, -3, 3).toArray();
      double lr = 1e-2 / (step + 1);
      a.update(Map.of("p", fused), Map.of("p", floats(g, 10, 100)), lr);
      b.update(Map.of("p", view), Map.of("p", floats(g, 10, 100)), lr);
    }
    assertThat(fused.toFloatMatrix()).isDeepEqualTo(view.toFloatMatrix());
    assertThat(fused.toFloatMatrix()).isNotEqualTo(floats(start, 10, 100).toFloatMatrix());
  }

  @Test
  void updatesOnlyParametersWithGradients() {
    INDArray frozen = Nd4j.createFromArray(1f, 2f, 3f);
    INDArray trained = Nd4j.createFromArray(1f, 2f, 3f);
    new AdamW(AdamW.Config.withWeightDecay(0), name -> true)
        .update(Map.of("frozen", frozen, "trained", trained),
            Map.of("trained", Nd4j.createFromArray(1f, -1f, 0f)), 0.1);
    assertThat(frozen.toFloatVector()).containsExactly(1f, 2f, 3f);
    // the first step moves each parameter by lr * sign(g) (up to epsilon) and leaves a zero gradient's in place
    assertThat(trained.toFloatVector()).containsExactly(0.9f, 2.1f, 3f);
  }

  @Test
  void refusesInvalidSettingsByName() {
    assertThatThrownBy(() -> new AdamW.Config(1.0, 0.999, 1e-8, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("beta1");
    assertThatThrownBy(() -> new AdamW.Config(0.9, 0.999, 0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("epsilon");
    assertThatThrownBy(() -> AdamW.Config.withWeightDecay(-0.1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weightDecay");
  }

  private static INDArray floats(double[] values, int rows, int cols) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return Nd4j.createFromArray(f).reshape(rows, cols);
  }

  private static double[] roundToFloat(double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  private static void assertClose(INDArray actual, double[] expected) {
    float[] a = actual.reshape(-1).toFloatVector();
    for (int i = 0; i < a.length; i++) {
      assertThat((double) a[i]).as("element %d", i).isCloseTo(expected[i],
          Offset.offset(2e-5 * Math.max(1, Math.abs(expected[i]))));
    }
  }
}
