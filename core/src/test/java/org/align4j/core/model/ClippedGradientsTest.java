package org.align4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link TransformerBackprop#clippedGradients} against the obvious computation: each example's gradient from its
 * own unpadded pass, its norms, its clip factors, and the sum of the clipped gradients.
 */
class ClippedGradientsTest {

  private static final int CONTEXT = 16;
  private static final int WIDTH = 16;
  private final TransformerLm model = TinyModels.perturbed(CONTEXT, 31, 0.3);
  private final TransformerBackprop backprop = new TransformerBackprop(model.weights());

  /** Groups by layer (tok_emb, pos_emb, l0, l1, lnf); the final norm is never clipped, the others are. */
  private static final class ByLayer implements ExampleClipping {
    private final List<String> groups = List.of("tok_emb", "pos_emb", "l0", "l1", "lnf");
    private final double bound;

    ByLayer(double bound) {
      this.bound = bound;
    }

    @Override
    public int groupCount() {
      return groups.size();
    }

    @Override
    public int group(String name) {
      int dot = name.indexOf('.');
      return groups.indexOf(dot < 0 ? name : name.substring(0, dot));
    }

    @Override
    public double[] scales(double[] squaredNorms) {
      double[] s = new double[squaredNorms.length];
      for (int g = 0; g < s.length; g++) {
        double limit = g == groups.indexOf("lnf") ? Double.MAX_VALUE : bound;
        s[g] = Math.min(1.0, limit / Math.sqrt(squaredNorms[g]));
      }
      return s;
    }
  }

  @Test
  void gramNormsOnShortRowsEqualTheClippedSumOfPerExampleGradients() {
    assertThat(new ProductTerm(List.of("w"), Nd4j.zeros(3 * 5, WIDTH), Nd4j.zeros(3 * 5, 3 * WIDTH), 3).ghost())
        .isTrue();
    check(new int[] {5, 3, 4});
  }

  @Test
  void formedNormsOnLongRowsEqualTheClippedSumOfPerExampleGradients() {
    assertThat(new ProductTerm(List.of("w"), Nd4j.zeros(2 * 14, WIDTH), Nd4j.zeros(2 * 14, WIDTH), 2).ghost())
        .isFalse();
    check(new int[] {14, 12});
  }

  @Test
  void aClippingThatSplitsTheFusedProjectionIsRefused() {
    ExampleClipping perParameter = new ExampleClipping() {
      private final List<String> names = TransformerWeights.names(model.config());

      @Override
      public int groupCount() {
        return names.size();
      }

      @Override
      public int group(String name) {
        return names.indexOf(name);
      }

      @Override
      public double[] scales(double[] squaredNorms) {
        return squaredNorms;
      }
    };
    assertThatThrownBy(() -> backprop.clippedGradients(new int[][] {{1, 2, 3}}, false,
        pass -> new TransformerBackprop.LossGradient(0, pass.hidden(), null), perParameter))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep [l1.attn.wq");
  }

  /** Rows of the given real lengths, right-padded to the longest; the loss ignores the padding. */
  private void check(int[] lengths) {
    SplittableRandom random = new SplittableRandom(lengths.length * 100L + lengths[0]);
    int b = lengths.length;
    int t = Arrays.stream(lengths).max().orElseThrow();
    int[][] tokens = new int[b][t];
    int[][] targets = new int[b][t];
    float[][] weights = new float[b][t];
    float[][][] probe = new float[b][t][WIDTH];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < lengths[i]; j++) {
        tokens[i][j] = random.nextInt(model.config().vocabSize());
        targets[i][j] = random.nextInt(model.config().vocabSize());
        weights[i][j] = (float) random.nextDouble(0.2, 1.5);
        for (int k = 0; k < WIDTH; k++) {
          probe[i][j][k] = (float) random.nextGaussian();
        }
      }
    }
    ByLayer clipping = new ByLayer(0.05);
    TransformerBackprop.ClippedStep step =
        backprop.clippedGradients(tokens, false, objective(targets, weights, probe), clipping);

    Map<String, INDArray> expected = new LinkedHashMap<>();
    double loss = 0;
    int clippedGroups = 0;
    int unclippedGroups = 0;
    for (int i = 0; i < b; i++) {
      int n = lengths[i];
      TransformerBackprop.Step one = backprop.gradients(new int[][] {Arrays.copyOf(tokens[i], n)}, false,
          objective(new int[][] {Arrays.copyOf(targets[i], n)}, new float[][] {Arrays.copyOf(weights[i], n)},
              new float[][][] {Arrays.copyOf(probe[i], n)}));
      loss += one.loss();
      double[] sq = new double[clipping.groupCount()];
      one.gradients().forEach((name, g) -> {
        double norm = g.norm2Number().doubleValue();
        sq[clipping.group(name)] += norm * norm;
      });
      double[] scales = clipping.scales(sq);
      for (int g = 0; g < sq.length; g++) {
        assertThat(step.squaredNorms()[i][g]).as("example %d group %d", i, g)
            .isCloseTo(sq[g], within(1e-4 * sq[g] + 1e-9));
        assertThat(step.scales()[i][g]).isCloseTo(scales[g], within(1e-4));
        if (scales[g] < 1) {
          clippedGroups++;
        } else {
          unclippedGroups++;
        }
      }
      one.gradients().forEach((name, g) -> expected.merge(name, g.mul(scales[clipping.group(name)]), INDArray::add));
    }
    assertThat(clippedGroups).isPositive();
    assertThat(unclippedGroups).isPositive();
    assertThat(step.loss()).isCloseTo(loss, within(1e-4 * Math.abs(loss)));
    assertThat(step.gradients().keySet()).containsExactlyElementsOf(TransformerWeights.names(model.config()));
    for (Map.Entry<String, INDArray> e : expected.entrySet()) {
      INDArray got = step.gradients().get(e.getKey());
      assertThat(got.shape()).as(e.getKey()).isEqualTo(e.getValue().shape());
      double scale = Math.max(1e-4, e.getValue().amaxNumber().doubleValue());
      assertThat(got.sub(e.getValue()).amaxNumber().doubleValue()).as(e.getKey()).isLessThan(1e-4 * scale);
    }
  }

  /** Weighted next-token loss plus a linear probe of the hidden states. */
  private static TransformerBackprop.Objective objective(int[][] targets, float[][] weights, float[][][] probe) {
    int rows = targets.length * targets[0].length;
    int[] flatTargets = Arrays.stream(targets).flatMapToInt(Arrays::stream).toArray();
    float[] flatWeights = new float[rows];
    float[] flatProbe = new float[rows * WIDTH];
    for (int r = 0; r < rows; r++) {
      int i = r / targets[0].length;
      int j = r % targets[0].length;
      flatWeights[r] = weights[i][j];
      System.arraycopy(probe[i][j], 0, flatProbe, r * WIDTH, WIDTH);
    }
    return pass -> {
      TokenCrossEntropy.Result ce = TokenCrossEntropy.of(pass.logits(), flatTargets, flatWeights);
      INDArray r = Nd4j.create(flatProbe, new long[] {rows, WIDTH}, 'c').castTo(DataType.FLOAT);
      double hidden = pass.hidden().mul(r).sumNumber().doubleValue();
      return new TransformerBackprop.LossGradient(ce.loss() + hidden, r, ce.dLogits());
    };
  }
}
