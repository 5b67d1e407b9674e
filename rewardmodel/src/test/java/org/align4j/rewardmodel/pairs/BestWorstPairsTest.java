package org.align4j.rewardmodel.pairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.rewardmodel.RewardModel;
import org.junit.jupiter.api.Test;

class BestWorstPairsTest {

  private static final RewardModel LENGTH = (prompts, responses) ->
      responses.stream().mapToDouble(String::length).toArray();

  @Test
  void keepsTheBestAndWorstAndSkipsAllTies() {
    BestWorstPairs.Result r = BestWorstPairs.make(List.of("p1", "p2", "p3"), List.of("a", "b", "c"),
        List.of(List.of("xx", "x", "xxxx", "y"), List.of("aa", "bb"), List.of("q", "qqq")), LENGTH, "length");
    assertThat(r.pairs()).hasSize(2);
    assertThat(r.skipped()).isEqualTo(1);
    PreferencePair first = r.pairs().get(0);
    assertThat(first.id()).isEqualTo("p1");
    assertThat(first.chosen()).isEqualTo("xxxx");
    assertThat(first.rejected()).isEqualTo("x");
    assertThat(first.margin().getAsDouble()).isEqualTo(3.0);
    assertThat(r.chosenRewards()).containsExactly(4, 3);
    assertThat(r.rejectedRewards()).containsExactly(1, 1);
    assertThat(r.pairs().get(1).prompt()).isEqualTo("c");
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> BestWorstPairs.make(List.of("p"), List.of("a"), List.of(List.of("x")), LENGTH, "l"))
        .hasMessageContaining("prompt p has 1 samples");
    RewardModel nan = (prompts, responses) -> new double[] {1, Double.NaN};
    assertThatThrownBy(() -> BestWorstPairs.make(List.of("p"), List.of("a"), List.of(List.of("x", "y")), nan,
        "reward rm.zip")).hasMessage("reward rm.zip returned NaN for sample 2 of prompt p; rewards must be finite");
  }

  @Test
  void samplingIsSeeded() {
    TransformerLm lm = TransformerLm.create(TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
        .contextLength(16).dModel(16).heads(2).layers(1).build(), ByteTokenizer.INSTANCE, 1);
    GenerationConfig config = GenerationConfig.sampling(6, 1.0, 42);
    List<List<String>> a = ResponseSampler.sample(lm, List.of("ab", "cd", "ef"), 3, config);
    List<List<String>> b = ResponseSampler.sample(lm, List.of("ab", "cd", "ef"), 3, config);
    assertThat(a).isEqualTo(b).hasSize(3).allMatch(l -> l.size() == 3);
    assertThat(a.get(0).stream().distinct().count()).isGreaterThan(1);
    assertThat(ResponseSampler.sample(lm, List.of("ab", "cd", "ef"), 3, config.withSeed(43))).isNotEqualTo(a);
    assertThatThrownBy(() -> ResponseSampler.sample(lm, List.of("x".repeat(15)), 1, config))
        .hasMessageContaining("prompt 1 has 16 tokens");
  }
}
