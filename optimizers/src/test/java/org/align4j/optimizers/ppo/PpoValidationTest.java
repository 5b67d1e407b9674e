package org.align4j.optimizers.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TransformerLm;
import org.align4j.rewardmodel.RewardModel;
import org.junit.jupiter.api.Test;

/** Bad settings and bad input fail with messages that name the problem. */
class PpoValidationTest {

  private static final PpoConfig SMALL = PpoConfig.builder().iterations(1).batchSize(2).responseLength(3)
      .ppoEpochs(1).learningRate(1e-3).build();

  @Test
  void rejectsInvalidSettingsNamingThem() {
    assertInvalid(PpoConfig.builder().clipRange(0), "clipRange");
    assertInvalid(PpoConfig.builder().clipRange(1), "clipRange");
    assertInvalid(PpoConfig.builder().valueClipRange(0), "valueClipRange");
    assertInvalid(PpoConfig.builder().temperature(0), "temperature");
    assertInvalid(PpoConfig.builder().lambda(1.5), "lambda");
    assertInvalid(PpoConfig.builder().gamma(-0.1), "gamma");
    assertInvalid(PpoConfig.builder().ppoEpochs(0), "ppoEpochs");
    assertInvalid(PpoConfig.builder().targetKl(0), "targetKl");
    assertInvalid(PpoConfig.builder().learningRate(Double.NaN), "learningRate");
    assertInvalid(PpoConfig.builder().vfCoef(-1), "vfCoef");
    assertInvalid(PpoConfig.builder().missingEosPenalty(-1), "missingEosPenalty");
    assertInvalid(PpoConfig.builder().entropyCoef(Double.POSITIVE_INFINITY), "entropyCoef");
    assertInvalid(PpoConfig.builder().batchSize(2).miniBatches(3), "miniBatches");
    assertInvalid(PpoConfig.builder().grpoStdEpsilon(0), "grpoStdEpsilon");
    assertInvalid(PpoConfig.builder().grpoStdEpsilon(Double.NaN), "grpoStdEpsilon");
    assertInvalid(PpoConfig.builder().advantageEstimator(AdvantageEstimator.GRPO).samplesPerPrompt(1),
        "samplesPerPrompt");
    assertThatThrownBy(() -> PpoConfig.builder().adaptiveKl(0.1, 0, 100)).hasMessageContaining("target");
    assertThatThrownBy(() -> PpoConfig.builder().klCoef(-0.1)).hasMessageContaining("coefficient");
  }

  @Test
  void defaultsFollowTrl() {
    PpoConfig c = PpoConfig.builder().build();
    assertThat(c.klController().coefficient()).isEqualTo(0.05);
    assertThat(c.clipRange()).isEqualTo(0.2);
    assertThat(c.valueClipRange()).isEqualTo(0.2);
    assertThat(c.vfCoef()).isEqualTo(0.1);
    assertThat(c.gamma()).isEqualTo(1.0);
    assertThat(c.lambda()).isEqualTo(0.95);
    assertThat(c.ppoEpochs()).isEqualTo(4);
    assertThat(c.miniBatches()).isEqualTo(1);
    assertThat(c.responseLength()).isEqualTo(53);
    assertThat(c.temperature()).isEqualTo(0.7);
    assertThat(c.samplesPerPrompt()).isEqualTo(1);
    assertThat(c.grpoStdEpsilon()).isEqualTo(1e-4);
    assertThat(PpoConfig.builder().advantageEstimator(AdvantageEstimator.RLOO).build().samplesPerPrompt())
        .isEqualTo(4);
  }

  @Test
  void emptyPromptsAreAnEmptyRollout() {
    TransformerLm policy = PpoFixtures.model(16, 1);
    PpoTrainer trainer = new PpoTrainer(SMALL, PpoFixtures.LOWERCASE);
    assertThatThrownBy(() -> trainer.train(policy, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty rollout");
    Dataset<TextExample> empty = new Dataset<>() {
      @Override
      public Stream<TextExample> stream() {
        return Stream.empty();
      }

      @Override
      public String name() {
        return "none";
      }
    };
    assertThatThrownBy(() -> trainer.train(policy, empty)).hasMessageContaining("empty rollout");
  }

  @Test
  void aPromptAloneLongerThanTheContextIsRejected() {
    TransformerLm policy = PpoFixtures.model(16, 1);
    PpoTrainer trainer = new PpoTrainer(SMALL, PpoFixtures.LOWERCASE);
    String tooLong = "a".repeat(15);
    assertThatThrownBy(() -> trainer.train(policy, List.of("ok", tooLong)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prompt 1 has 16 tokens").hasMessageContaining("context of 16");
    // The longest prompt that fits leaves room for exactly one response token.
    PpoResult result = trainer.train(policy, List.of("a".repeat(14)));
    assertThat(result.last().meanResponseLength()).isEqualTo(1.0);
  }

  @Test
  void nonFiniteOrMissingScoresFromTheRewardModelAreRejected() {
    TransformerLm policy = PpoFixtures.model(16, 1);
    RewardModel nan = (p, r) -> {
      double[] s = new double[r.size()];
      s[1] = Double.NaN;
      return s;
    };
    assertThatThrownBy(() -> new PpoTrainer(SMALL, nan).train(policy, List.of("x", "y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN").hasMessageContaining("completion 1").hasMessageContaining("finite");
    RewardModel short1 = (p, r) -> new double[1];
    assertThatThrownBy(() -> new PpoTrainer(SMALL, short1).train(policy, List.of("x", "y")))
        .hasMessageContaining("returned 1 scores for 2 completions");
  }

  @Test
  void theReferenceMustBeAFrozenCopy() {
    TransformerLm policy = PpoFixtures.model(16, 1);
    PpoTrainer trainer = new PpoTrainer(SMALL, PpoFixtures.LOWERCASE);
    assertThatThrownBy(() -> trainer.train(policy, policy, List.of("x")))
        .hasMessageContaining("shares the policy's weights");
  }

  @Test
  void aSessionRejectsPromptsLongerThanItWasSizedFor() {
    TransformerLm policy = PpoFixtures.model(16, 1);
    PpoSession session = new PpoTrainer(SMALL, PpoFixtures.LOWERCASE).session(policy, policy.copy(),
        List.of("ab"));
    assertThatThrownBy(() -> session.rollout(List.of("abcdef"), 1)).hasMessageContaining("sized for");
    assertThatThrownBy(() -> session.rollout(List.of(), 1)).hasMessageContaining("empty rollout");
  }

  private static void assertInvalid(PpoConfig.Builder builder, String name) {
    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
  }
}
