package org.align4j.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Both {@link Attention} implementations against a slow float64 one written out here, forward (weights and merged
 * heads) and backward (the stacked projections' gradient), on several rows and heads so that a wrong offset or
 * stride shows.
 */
class AttentionTest {

  private static final int B = 3;
  private static final int T = 7;
  private static final int H = 2;
  private static final int HD = 4;
  private static final int D = H * HD;

  @Test
  void directBlasCallsMatchTheSlowFormula() {
    assertThat(CpuBlas.available()).isTrue();
    check(new DirectAttention(B, T, H, HD));
  }

  @Test
  void nd4jOperationsMatchTheSlowFormula() {
    check(new BatchedAttention(B, T, H, HD));
  }

  private static void check(Attention attention) {
    Nd4j.getRandom().setSeed(11);
    INDArray qkv = Nd4j.randn(DataType.FLOAT, (long) B * T, 3L * D).muli(1.5);
    INDArray dMerged = Nd4j.randn(DataType.FLOAT, (long) B * T, D);
    double[][] q = qkv.toDoubleMatrix();
    double[][] dOut = dMerged.toDoubleMatrix();
    double[][] merged = new double[B * T][D];
    double[][] dQkv = new double[B * T][3 * D];
    double[][][] probs = new double[B * H][T][T];
    slowAttention(q, dOut, probs, merged, dQkv);

    INDArray mergedOut = Nd4j.zeros(DataType.FLOAT, (long) B * T, D);
    INDArray p = attention.forward(qkv, mergedOut);
    INDArray grad = attention.backward(qkv, p, dMerged);

    assertThat(p.shape()).containsExactly(B * H, T, T);
    for (int pair = 0; pair < B * H; pair++) {
      for (int i = 0; i < T; i++) {
        for (int j = 0; j < T; j++) {
          assertThat(p.getDouble(pair, i, j)).as("weight %d %d %d", pair, i, j).isCloseTo(probs[pair][i][j],
              within(1e-6));
        }
      }
    }
    assertClose(mergedOut, merged, "merged");
    assertClose(grad, dQkv, "dQkv");
  }

  /** Softmax(Q K^T / sqrt(hd) + causal mask) V per row and head, and its gradient, in float64. */
  private static void slowAttention(double[][] qkv, double[][] dOut, double[][][] probs, double[][] merged,
      double[][] dQkv) {
    double scale = 1 / Math.sqrt(HD);
    for (int b = 0; b < B; b++) {
      for (int h = 0; h < H; h++) {
        double[][] p = probs[b * H + h];
        double[][] dp = new double[T][T];
        for (int i = 0; i < T; i++) {
          double[] s = new double[i + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j <= i; j++) {
            for (int k = 0; k < HD; k++) {
              s[j] += qkv[b * T + i][h * HD + k] * qkv[b * T + j][D + h * HD + k] * scale;
            }
            max = Math.max(max, s[j]);
          }
          double sum = 0;
          for (int j = 0; j <= i; j++) {
            sum += Math.exp(s[j] - max);
          }
          for (int j = 0; j <= i; j++) {
            p[i][j] = Math.exp(s[j] - max) / sum;
            for (int k = 0; k < HD; k++) {
              merged[b * T + i][h * HD + k] += p[i][j] * qkv[b * T + j][2 * D + h * HD + k];
              dp[i][j] += dOut[b * T + i][h * HD + k] * qkv[b * T + j][2 * D + h * HD + k];
              dQkv[b * T + j][2 * D + h * HD + k] += p[i][j] * dOut[b * T + i][h * HD + k];
            }
          }
        }
        for (int i = 0; i < T; i++) {
          double dot = 0;
          for (int j = 0; j <= i; j++) {
            dot += dp[i][j] * p[i][j];
          }
          for (int j = 0; j <= i; j++) {
            double ds = p[i][j] * (dp[i][j] - dot) * scale;
            for (int k = 0; k < HD; k++) {
              dQkv[b * T + i][h * HD + k] += ds * qkv[b * T + j][D + h * HD + k];
              dQkv[b * T + j][D + h * HD + k] += ds * qkv[b * T + i][h * HD + k];
            }
          }
        }
      }
    }
  }

  private static void assertClose(INDArray actual, double[][] expected, String what) {
    assertThat(actual.shape()).containsExactly(expected.length, expected[0].length);
    for (int r = 0; r < expected.length; r++) {
      for (int c = 0; c < expected[0].length; c++) {
        assertThat(actual.getDouble(r, c)).as("%s[%d][%d]", what, r, c).isCloseTo(expected[r][c], within(1e-5));
      }
    }
  }
}
