package org.align4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class KvCacheTest {

  private final TransformerInference inference =
      new TransformerInference(TinyModels.perturbed(16, 31, 0.4).weights());

  @Test
  void cachedStepsGiveTheLogitsOfTheFullLeftPaddedForwardPass() {
    KvCache cache = check(new int[] {0, 3, 5});
    assertThatThrownBy(() -> inference.step(new int[] {1, 2, 3}, cache)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no room");
  }

  @Test
  void aBatchSplitOverThreadsGivesTheSameLogits() {
    int[] pad = new int[2 * TransformerInference.ROWS_PER_PART + 3];
    for (int i = 0; i < pad.length; i++) {
      pad[i] = i % 6;
    }
    check(pad);
  }

  /** Every cached step's logits against the full pass; returns the full cache. */
  private KvCache check(int[] pad) {
    SplittableRandom random = new SplittableRandom(5);
    int prompt = 7;
    int steps = 6;
    int[][] tokens = new int[pad.length][prompt + steps];
    for (int i = 0; i < pad.length; i++) {
      for (int j = 0; j < tokens[i].length; j++) {
        tokens[i][j] = j < pad[i] ? 258 : random.nextInt(256);
      }
    }
    KvCache cache = inference.newCache(pad.length, prompt + steps, pad);
    inference.forward(slice(tokens, prompt), pad, cache);
    for (int s = 0; s < steps; s++) {
      int[] next = new int[pad.length];
      for (int i = 0; i < pad.length; i++) {
        next[i] = tokens[i][prompt + s];
      }
      float[][] cached = inference.step(next, cache);
      INDArray full = inference.forward(slice(tokens, prompt + s + 1), pad, null);
      float[][] expected = full.get(all(), point(prompt + s), all()).toFloatMatrix();
      double worst = 0;
      for (int i = 0; i < pad.length; i++) {
        for (int v = 0; v < expected[i].length; v++) {
          worst = Math.max(worst, Math.abs(cached[i][v] - expected[i][v]));
        }
      }
      assertThat(worst).as("largest logit difference at step %d", s).isLessThan(1e-4);
    }
    assertThat(cache.length()).isEqualTo(prompt + steps);
    return cache;
  }

  private static int[][] slice(int[][] tokens, int length) {
    int[][] out = new int[tokens.length][];
    for (int i = 0; i < tokens.length; i++) {
      out[i] = java.util.Arrays.copyOf(tokens[i], length);
    }
    return out;
  }
}
