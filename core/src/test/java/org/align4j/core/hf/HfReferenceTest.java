package org.align4j.core.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.Architecture;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.internal.TransformerGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Imported checkpoints against an independent PyTorch forward pass ({@code tools/hf_reference.py}): every logit
 * within 1e-4, greedy continuations (cached, batched with left padding) token for token.
 */
class HfReferenceTest {

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "qwen2"})
  void logitsMatchTheReferenceForwardPass(String family) {
    TransformerLm model = HfCheckpoints.load(HfFixtures.folder(family));
    JsonNode ref = HfFixtures.json(family + "_reference.json");
    try (SafeTensorsFile logits = SafeTensorsFile.open(HfFixtures.root().resolve(family + "_logits.safetensors"))) {
      for (int i = 0; i < ref.get("sequences").size(); i++) {
        int[] seq = HfFixtures.ints(ref.get("sequences").get(i));
        float[] expected = logits.tensor("logits." + i).toFloats();
        float[][] actual = model.logits(seq);
        int v = model.config().vocabSize();
        assertThat(expected).hasSize(seq.length * v);
        double maxError = 0;
        for (int t = 0; t < seq.length; t++) {
          for (int j = 0; j < v; j++) {
            maxError = Math.max(maxError, Math.abs(actual[t][j] - expected[t * v + j]));
          }
        }
        assertThat(maxError).as("%s sequence %d", family, i).isLessThan(1e-4);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "qwen2"})
  void greedyContinuationsMatchTheReference(String family) {
    TransformerLm model = HfCheckpoints.load(HfFixtures.folder(family));
    JsonNode ref = HfFixtures.json(family + "_reference.json");
    List<int[]> prompts = new ArrayList<>();
    ref.get("prompts").forEach(p -> prompts.add(HfFixtures.ints(p)));
    GenerationConfig greedy = GenerationConfig.greedy(12).withStopAtEos(false);
    List<int[]> cached = model.generate(prompts, greedy);
    List<int[]> uncached = model.generate(prompts, greedy, false);
    for (int i = 0; i < prompts.size(); i++) {
      int[] expected = HfFixtures.ints(ref.get("greedy").get(i));
      assertThat(cached.get(i)).as("%s prompt %d, cached", family, i).containsExactly(expected);
      assertThat(uncached.get(i)).as("%s prompt %d, uncached", family, i).containsExactly(expected);
      assertThat(model.generate(List.of(prompts.get(i)), greedy).get(0)).as("%s prompt %d alone", family, i)
          .containsExactly(expected);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "qwen2"})
  void importReadsEachFamilysOptions(String family) {
    TransformerLm model = HfCheckpoints.load(HfFixtures.folder(family));
    Architecture a = model.config().architecture();
    switch (family) {
      case "gpt2" -> assertThat(a).isEqualTo(Architecture.gpt2(1e-5));
      case "llama" -> {
        assertThat(a.rope().scaling()).isEqualTo(Architecture.RopeScaling.LLAMA3);
        assertThat(model.config().kvHeads()).isEqualTo(2);
        assertThat(a.tiedOutput()).isFalse();
        assertThat(a.qkvBias()).isFalse();
      }
      default -> {
        assertThat(a.rope().scaling()).isEqualTo(Architecture.RopeScaling.LINEAR);
        assertThat(model.config().kvHeads()).isEqualTo(1);
        assertThat(a.tiedOutput()).isTrue();
        assertThat(a.qkvBias()).isTrue();
      }
    }
    assertThat(model.provenance().configuration()).containsKey("importedFrom");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "qwen2"})
  void trainingGraphGivesTheReferenceLogits(String family) {
    TransformerLm model = HfCheckpoints.load(HfFixtures.folder(family));
    int[] seq = HfFixtures.ints(HfFixtures.json(family + "_reference.json").get("sequences").get(0));
    TransformerGraph graph = TransformerGraph.create(model.weights(), seq.length, false);
    INDArray out = graph.sameDiff().output(Map.of("tokens", Nd4j.createFromArray(new int[][] {seq})),
        graph.logits().name()).get(graph.logits().name());
    try (SafeTensorsFile logits = SafeTensorsFile.open(HfFixtures.root().resolve(family + "_logits.safetensors"))) {
      float[] expected = logits.tensor("logits.0").toFloats();
      float[] actual = out.dup('c').data().asFloat();
      assertThat(actual).hasSameSizeAs(expected);
      for (int i = 0; i < expected.length; i++) {
        assertThat(actual[i]).isCloseTo(expected[i], within(1e-4f));
      }
    }
  }
}
