package org.align4j.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
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
  private static final String HEAD = "head";
  private static final INDArray HEAD_WEIGHT = Nd4j.create(new SplittableRandom(5).doubles(2 * WIDTH, -1, 1)
      .toArray(), new long[] {WIDTH, 2}, 'c').castTo(DataType.FLOAT);
  private final TransformerLm model = TinyModels.perturbed(CONTEXT, 31, 0.3);
  private final TransformerBackprop backprop = new TransformerBackprop(model.weights());

  /**
   * Groups by layer (tok_emb, pos_emb, l0, l1, lnf, and the head); the final norm is never clipped, the others
   * are.
   */
  private static final class ByLayer implements ExampleClipping {
    private final List<String> groups = List.of("tok_emb", "pos_emb", "l0", "l1", "lnf", HEAD);
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
    check(new int[] {5, 3, 4}, 1, false);
  }

  @Test
  void examplesOfSeveralRowsWithATrainedHeadEqualTheClippedSumOfPerExampleGradients() {
    check(new int[] {5, 3, 4, 6, 2, 5}, 2, true);
    check(new int[] {13, 14, 9, 12}, 2, true);
    check(new int[] {4, 7, 3, 5, 6, 2}, 3, false);
  }

  @Test
  void aHeadsGradientsEqualTheSameLossWrittenThroughTheHiddenStates() {
    int[][] tokens = {{3, 9, 4, 1, 7, 2}, {5, 5, 8, 2, 6, 0}};
    int rows = tokens.length * tokens[0].length;
    SplittableRandom random = new SplittableRandom(12);
    INDArray probe = Nd4j.create(random.doubles(2L * rows, -1, 1).toArray(), new long[] {rows, 2}, 'c')
        .castTo(DataType.FLOAT);
    INDArray[] hidden = new INDArray[1];
    TransformerBackprop.Step viaHead = backprop.gradients(tokens, false, pass -> {
      hidden[0] = pass.hidden().detach();
      return new TransformerBackprop.LossGradient(pass.hidden().mmul(HEAD_WEIGHT).mul(probe).sumNumber().doubleValue(),
          null, null, List.of(new TransformerBackprop.HeadGradient(HEAD, HEAD_WEIGHT, probe)));
    });
    // d/dH sum((H W) * P) = P W^T; d/dW = H^T P
    TransformerBackprop.Step viaHidden = backprop.gradients(tokens, false,
        pass -> new TransformerBackprop.LossGradient(0, probe.mmul(HEAD_WEIGHT.transpose()), null));
    assertThat(viaHead.gradients().keySet()).endsWith(HEAD);
    INDArray expectedHead = hidden[0].transpose().mmul(probe);
    assertThat(viaHead.gradients().get(HEAD).sub(expectedHead).amaxNumber().doubleValue())
        .isLessThan(1e-5 * expectedHead.amaxNumber().doubleValue());
    for (Map.Entry<String, INDArray> e : viaHidden.gradients().entrySet()) {
      double scale = Math.max(1e-4, e.getValue().amaxNumber().doubleValue());
      assertThat(viaHead.gradients().get(e.getKey()).sub(e.getValue()).amaxNumber().doubleValue()).as(e.getKey())
          .isLessThan(1e-5 * scale);
    }
  }

  @Test
  void rowsThatAreNotAMultipleOfTheExampleSizeAreRefused() {
    ExampleClipping clipping = new ByLayer(1);
    assertThatThrownBy(() -> backprop.clippedGradients(new int[][] {{1, 2}, {3, 4}, {5, 6}}, false,
        pass -> new TransformerBackprop.LossGradient(0, pass.hidden(), null), clipping, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rowsPerExample");
  }

  @Test
  void formedNormsOnLongRowsEqualTheClippedSumOfPerExampleGradients() {
    assertThat(new ProductTerm(List.of("w"), Nd4j.zeros(2 * 14, WIDTH), Nd4j.zeros(2 * 14, WIDTH), 2).ghost())
        .isFalse();
    check(new int[] {14, 12}, 1, false);
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

  /**
   * Rows of the given real lengths, right-padded to the longest, every {@code k} consecutive rows one example; the
   * loss ignores the padding; with {@code head}, the loss also reads a trained head's outputs.
   */
  private void check(int[] lengths, int k, boolean head) {
    SplittableRandom random = new SplittableRandom(lengths.length * 100L + lengths[0] + k);
    int b = lengths.length;
    int t = Arrays.stream(lengths).max().orElseThrow();
    int[][] tokens = new int[b][t];
    int[][] targets = new int[b][t];
    float[][] weights = new float[b][t];
    float[][][] probe = new float[b][t][WIDTH];
    float[][][] headProbe = head ? new float[b][t][2] : null;
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < lengths[i]; j++) {
        tokens[i][j] = random.nextInt(model.config().vocabSize());
        targets[i][j] = random.nextInt(model.config().vocabSize());
        weights[i][j] = (float) random.nextDouble(0.2, 1.5);
        for (int c = 0; c < WIDTH; c++) {
          probe[i][j][c] = (float) random.nextGaussian();
        }
        if (head) {
          headProbe[i][j][0] = (float) random.nextGaussian();
          headProbe[i][j][1] = (float) random.nextGaussian();
        }
      }
    }
    ByLayer clipping = new ByLayer(0.05);
    TransformerBackprop.ClippedStep step = backprop.clippedGradients(tokens, false,
        objective(targets, weights, probe, headProbe), clipping, k);

    Map<String, INDArray> expected = new LinkedHashMap<>();
    double loss = 0;
    int clippedGroups = 0;
    int unclippedGroups = 0;
    for (int e = 0; e < b / k; e++) {
      int from = e * k;
      int n = Arrays.stream(lengths, from, from + k).max().orElseThrow();
      TransformerBackprop.Step one = backprop.gradients(rows(tokens, from, k, n), false, objective(
          rows(targets, from, k, n), rows(weights, from, k, n), rows(probe, from, k, n),
          head ? rows(headProbe, from, k, n) : null));
      loss += one.loss();
      double[] sq = new double[clipping.groupCount()];
      one.gradients().forEach((name, g) -> {
        double norm = g.norm2Number().doubleValue();
        sq[clipping.group(name)] += norm * norm;
      });
      double[] scales = clipping.scales(sq);
      for (int g = 0; g < sq.length; g++) {
        assertThat(step.squaredNorms()[e][g]).as("example %d group %d", e, g)
            .isCloseTo(sq[g], within(1e-4 * sq[g] + 1e-9));
        assertThat(step.scales()[e][g]).isCloseTo(scales[g], within(1e-4));
        if (scales[g] < 1) {
          clippedGroups++;
        } else if (sq[g] > 0) {
          unclippedGroups++;
        }
      }
      one.gradients().forEach((name, g) -> expected.merge(name, g.mul(scales[clipping.group(name)]), INDArray::add));
    }
    assertThat(step.squaredNorms()).hasNumberOfRows(b / k);
    assertThat(clippedGroups).isPositive();
    assertThat(unclippedGroups).isPositive();
    assertThat(step.loss()).isCloseTo(loss, within(1e-4 * Math.abs(loss)));
    List<String> names = new java.util.ArrayList<>(TransformerWeights.names(model.config()));
    if (head) {
      names.add(HEAD);
    }
    assertThat(step.gradients().keySet()).containsExactlyElementsOf(names);
    for (Map.Entry<String, INDArray> en : expected.entrySet()) {
      INDArray got = step.gradients().get(en.getKey());
      assertThat(got.shape()).as(en.getKey()).isEqualTo(en.getValue().shape());
      double scale = Math.max(1e-4, en.getValue().amaxNumber().doubleValue());
      assertThat(got.sub(en.getValue()).amaxNumber().doubleValue()).as(en.getKey()).isLessThan(1e-4 * scale);
    }
  }

  private static int[][] rows(int[][] a, int from, int k, int n) {
    int[][] out = new int[k][];
    for (int r = 0; r < k; r++) {
      out[r] = Arrays.copyOf(a[from + r], n);
    }
    return out;
  }

  private static float[][] rows(float[][] a, int from, int k, int n) {
    float[][] out = new float[k][];
    for (int r = 0; r < k; r++) {
      out[r] = Arrays.copyOf(a[from + r], n);
    }
    return out;
  }

  private static float[][][] rows(float[][][] a, int from, int k, int n) {
    float[][][] out = new float[k][][];
    for (int r = 0; r < k; r++) {
      out[r] = Arrays.copyOf(a[from + r], n);
    }
    return out;
  }

  /**
   * Weighted next-token loss plus a linear probe of the hidden states and, when {@code headProbe} is not null, a
   * linear probe of the head's outputs.
   */
  private static TransformerBackprop.Objective objective(int[][] targets, float[][] weights, float[][][] probe,
      float[][][] headProbe) {
    int rows = targets.length * targets[0].length;
    float[] flatHead = new float[rows * 2];
    int[] flatTargets = Arrays.stream(targets).flatMapToInt(Arrays::stream).toArray();
    float[] flatWeights = new float[rows];
    float[] flatProbe = new float[rows * WIDTH];
    for (int r = 0; r < rows; r++) {
      int i = r / targets[0].length;
      int j = r % targets[0].length;
      flatWeights[r] = weights[i][j];
      System.arraycopy(probe[i][j], 0, flatProbe, r * WIDTH, WIDTH);
      if (headProbe != null) {
        System.arraycopy(headProbe[i][j], 0, flatHead, r * 2, 2);
      }
    }
    return pass -> {
      TokenCrossEntropy.Result ce = TokenCrossEntropy.of(pass.logits(), flatTargets, flatWeights);
      INDArray r = Nd4j.create(flatProbe, new long[] {rows, WIDTH}, 'c').castTo(DataType.FLOAT);
      double hidden = pass.hidden().mul(r).sumNumber().doubleValue();
      if (headProbe == null) {
        return new TransformerBackprop.LossGradient(ce.loss() + hidden, r, ce.dLogits());
      }
      INDArray hp = Nd4j.create(flatHead, new long[] {rows, 2}, 'c');
      double headLoss = pass.hidden().mmul(HEAD_WEIGHT).mul(hp).sumNumber().doubleValue();
      return new TransformerBackprop.LossGradient(ce.loss() + hidden + headLoss, r, ce.dLogits(),
          List.of(new TransformerBackprop.HeadGradient(HEAD, HEAD_WEIGHT, hp)));
    };
  }
}
