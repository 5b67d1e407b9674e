package org.align4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class KvCacheTest {

  @Test
  void cachedStepsGiveTheLogitsOfTheFullLeftPaddedForwardPass() {
    TransformerLm model = TinyModels.perturbed(16, 31, 0.4);
    TransformerInference inference = new TransformerInference(model.weights());
    SplittableRandom random = new SplittableRandom(5);
    int[] pad = {0, 3, 5};
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
      for (int i = 0; i < pad.length; i++) {
        for (int v = 0; v < 259; v++) {
          assertThat((double) cached[i][v]).as("row %d step %d id %d", i, s, v)
              .isCloseTo(full.getDouble(i, prompt + s, v), org.assertj.core.api.Assertions.within(1e-4));
        }
      }
    }
    assertThat(cache.length()).isEqualTo(prompt + steps);
    assertThatThrownBy(() -> inference.step(new int[] {1, 2, 3}, cache)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no room");
  }

  private static int[][] slice(int[][] tokens, int length) {
    int[][] out = new int[tokens.length][];
    for (int i = 0; i < tokens.length; i++) {
      out[i] = java.util.Arrays.copyOf(tokens[i], length);
    }
    return out;
  }
}
