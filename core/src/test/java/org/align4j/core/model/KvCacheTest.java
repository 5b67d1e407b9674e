package org.align4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class KvCacheTest {

  private static final int PROMPT = 7;
  private static final int STEPS = 6;

  private final TransformerInference inference =
      new TransformerInference(TinyModels.perturbed(16, 31, 0.4).weights());

  @Test
  void cachedStepsGiveTheLogitsOfTheFullLeftPaddedForwardPass() {
    KvCache cache = check(inference, new int[] {0, 3, 5}, false, true);
    assertThatThrownBy(() -> inference.step(new int[] {1, 2, 3}, cache)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no room");
  }

  @Test
  void aBatchSplitOverThreadsGivesTheSameLogits() {
    int[] pad = new int[2 * TransformerInference.ROWS_PER_PART + 3];
    for (int i = 0; i < pad.length; i++) {
      pad[i] = i % 6;
    }
    check(inference, pad, false, true);
    check(inference, pad, true, true);
  }

  @Test
  void theCpuBackendStepsWithoutNd4jOperations() {
    assertThat(DirectBlas.available()).isTrue();
    assertThat(inference.newCache(1, 4, new int[1]).fused).isNotNull();
  }

  /** Every architecture option, through the fused path and through ND4J's, at batch 1 and with padded rows. */
  @ParameterizedTest(name = "{0}, fused {1}")
  @MethodSource("architectures")
  void everyArchitectureStepsAndPrefillsAsTheFullPass(String name, boolean fused, Architecture architecture) {
    TransformerConfig config = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
        .contextLength(16).dModel(16).heads(4).layers(2).mlpRatio(2).architecture(architecture).build();
    TransformerInference model = new TransformerInference(TinyModels.perturbed(config, 7, 0.3).weights());
    check(model, new int[] {0}, true, fused);
    check(model, new int[] {2, 0, 4}, true, fused);
  }

  static Stream<Arguments> architectures() {
    Architecture.Rope rope = Architecture.Rope.of(10_000);
    Architecture llama = new Architecture(Architecture.Norm.RMS, 1e-6, Architecture.Activation.SWIGLU, rope, 2, 24,
        false, false, false);
    Architecture qwen = new Architecture(Architecture.Norm.RMS, 1e-6, Architecture.Activation.SWIGLU, rope, 1, 0,
        true, false, false);
    Stream.Builder<Arguments> out = Stream.builder();
    for (boolean fused : new boolean[] {true, false}) {
      out.add(Arguments.of("reference", fused, Architecture.reference()));
      out.add(Arguments.of("gpt2", fused, Architecture.gpt2(1e-5)));
      out.add(Arguments.of("llama", fused, llama));
      out.add(Arguments.of("qwen2", fused, qwen));
    }
    return out.build();
  }

  /**
   * Fills a cache with the prompt (through {@link TransformerInference#prefill} or the full pass), then checks the
   * prefill's and every cached step's logits against the full pass; returns the full cache.
   */
  private static KvCache check(TransformerInference model, int[] pad, boolean prefill, boolean fused) {
    SplittableRandom random = new SplittableRandom(5);
    int[][] tokens = new int[pad.length][PROMPT + STEPS];
    for (int i = 0; i < pad.length; i++) {
      for (int j = 0; j < tokens[i].length; j++) {
        tokens[i][j] = j < pad[i] ? 258 : random.nextInt(256);
      }
    }
    KvCache cache = model.newCache(pad.length, PROMPT + STEPS, pad, fused);
    assertThat(cache.fused != null).isEqualTo(fused);
    if (prefill) {
      assertClose(model.prefill(slice(tokens, PROMPT), pad, cache), lastPosition(model, tokens, pad, PROMPT),
          "prefill");
    } else {
      model.forward(slice(tokens, PROMPT), pad, cache);
    }
    for (int s = 0; s < STEPS; s++) {
      int[] next = new int[pad.length];
      for (int i = 0; i < pad.length; i++) {
        next[i] = tokens[i][PROMPT + s];
      }
      assertClose(model.step(next, cache), lastPosition(model, tokens, pad, PROMPT + s + 1), "step " + s);
    }
    assertThat(cache.length()).isEqualTo(PROMPT + STEPS);
    return cache;
  }

  /** The full pass's logits at position {@code length - 1} of every row, [B][V]. */
  private static float[][] lastPosition(TransformerInference model, int[][] tokens, int[] pad, int length) {
    INDArray full = model.forward(slice(tokens, length), pad, null);
    return full.get(all(), point(length - 1), all()).toFloatMatrix();
  }

  private static void assertClose(float[][] actual, float[][] expected, String what) {
    assertThat(actual.length).isEqualTo(expected.length);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int v = 0; v < expected[i].length; v++) {
        worst = Math.max(worst, Math.abs(actual[i][v] - expected[i][v]));
      }
    }
    assertThat(worst).as("largest logit difference, %s", what).isLessThan(1e-4);
  }

  private static int[][] slice(int[][] tokens, int length) {
    int[][] out = new int[tokens.length][];
    for (int i = 0; i < tokens.length; i++) {
      out[i] = java.util.Arrays.copyOf(tokens[i], length);
    }
    return out;
  }
}
