package org.align4j.rewardmodel.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.align4j.rewardmodel.RewardModel;
import org.junit.jupiter.api.Test;

class EnsembleRewardModelTest {

  private static final RewardModel LENGTH = (p, r) -> r.stream().mapToDouble(String::length).toArray();
  private static final RewardModel DOUBLE_LENGTH = (p, r) -> r.stream().mapToDouble(s -> 2.0 * s.length()).toArray();
  private static final RewardModel CONSTANT = (p, r) -> r.stream().mapToDouble(s -> 3.0).toArray();
  private static final List<String> PROMPTS = List.of("p", "q");
  private static final List<String> RESPONSES = List.of("a", "bbbb");

  @Test
  void aggregatesMembers() {
    List<RewardModel> members = List.of(LENGTH, DOUBLE_LENGTH, CONSTANT);
    // response "a": 1, 2, 3; response "bbbb": 4, 8, 3
    assertThat(EnsembleRewardModel.mean(members).score(PROMPTS, RESPONSES)).containsExactly(2.0, 5.0);
    assertThat(EnsembleRewardModel.min(members).score(PROMPTS, RESPONSES)).containsExactly(1.0, 3.0);
    double std1 = Math.sqrt(2.0 / 3);
    double std2 = Math.sqrt((1 + 9 + 4) / 3.0);
    assertThat(EnsembleRewardModel.meanMinusStd(members, 2).score(PROMPTS, RESPONSES))
        .containsExactly(new double[] {2 - 2 * std1, 5 - 2 * std2}, within(1e-12));
    assertThat(EnsembleRewardModel.mean(members).disagreement(PROMPTS, RESPONSES))
        .containsExactly(new double[] {std1, std2}, within(1e-12));
    assertThat(EnsembleRewardModel.mean(List.of(LENGTH)).score("p", "abc")).isEqualTo(3.0);
  }

  @Test
  void validates() {
    assertThatThrownBy(() -> EnsembleRewardModel.mean(List.of())).hasMessageContaining("at least one member");
    assertThatThrownBy(() -> EnsembleRewardModel.meanMinusStd(List.of(LENGTH), -1))
        .hasMessage("k must be >= 0, got -1.0");
    RewardModel broken = (p, r) -> new double[] {Double.NaN, 1};
    assertThatThrownBy(() -> EnsembleRewardModel.mean(List.of(broken)).score(PROMPTS, RESPONSES))
        .hasMessageContaining("non-finite");
  }

  @Test
  void normalisesOnAReferenceSet() {
    NormalizedRewardModel normalized = NormalizedRewardModel.fit(LENGTH, List.of("", "", ""),
        List.of("a", "bb", "ccc"));
    assertThat(normalized.mean()).isEqualTo(2.0);
    assertThat(normalized.std()).isCloseTo(Math.sqrt(2.0 / 3), within(1e-15));
    assertThat(normalized.score(List.of("", ""), List.of("bb", "ccc")))
        .containsExactly(new double[] {0, 1 / Math.sqrt(2.0 / 3)}, within(1e-12));
    assertThatThrownBy(() -> NormalizedRewardModel.fit(CONSTANT, PROMPTS, RESPONSES))
        .hasMessageContaining("zero standard deviation");
    assertThatThrownBy(() -> NormalizedRewardModel.of(LENGTH, 0, 0)).hasMessage("std must be > 0, got 0.0");
  }
}
