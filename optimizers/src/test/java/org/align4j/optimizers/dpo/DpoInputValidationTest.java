package org.align4j.optimizers.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.align4j.optimizers.preference.PreferenceLossType;
import org.junit.jupiter.api.Test;

/** Bad input gives clear errors; long pairs are truncated from the end of the response. */
class DpoInputValidationTest {

  private static final DpoTrainer TRAINER = new DpoTrainer(DpoConfig.builder().maxSteps(1).build());

  @Test
  void invalidSettingsNameTheParameter() {
    assertThatThrownBy(() -> PreferenceLoss.builder().beta(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
    assertThatThrownBy(() -> PreferenceLoss.builder().beta(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
    assertThatThrownBy(() -> DpoConfig.builder().batchSize(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
    assertThatThrownBy(() -> DpoConfig.builder().learningRate(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learningRate");
    assertThatThrownBy(() -> DpoConfig.builder().minLearningRateRatio(2).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minLearningRateRatio");
    assertThatThrownBy(() -> DpoConfig.builder().loss(null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loss");
    assertThatThrownBy(() -> DpoConfig.builder()
        .loss(PreferenceLoss.builder().type(PreferenceLossType.AOT).build()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AOT");
    DpoConfig defaults = DpoConfig.builder().build();
    assertThat(defaults.loss().type()).isEqualTo(PreferenceLossType.SIGMOID);
    assertThat(defaults.referenceCache()).isEmpty();
  }

  @Test
  void emptyDataIsAnError() {
    assertThatThrownBy(() -> TRAINER.train(PreferenceTasks.model(1), Dataset.of("none", List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none").hasMessageContaining("empty");
  }

  @Test
  void aPromptLongerThanTheContextIsAnError() {
    PreferencePair pair = new PreferencePair("long", "x".repeat(PreferenceTasks.CONTEXT - 1), "a", "b");
    assertThatThrownBy(() -> TRAINER.train(PreferenceTasks.model(1), Dataset.of("d", List.of(pair))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pair long").hasMessageContaining("prompt has 15 tokens")
        .hasMessageContaining("context of 16");
  }

  @Test
  void aMismatchedReferenceIsAnError() {
    var other = org.align4j.core.model.TinyModels.perturbed(8, 1, 0.0);
    assertThatThrownBy(() -> TRAINER.train(PreferenceTasks.model(1), other, PreferenceTasks.pairs("d", 2, 1), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference context (8)");
    assertThatThrownBy(() -> TRAINER.train(PreferenceTasks.model(1), null, PreferenceTasks.pairs("d", 2, 1), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference must not be null");
  }

  @Test
  void longPairsLoseTheEndOfTheirResponses() {
    int context = PreferenceTasks.CONTEXT;
    PreferencePair fits = new PreferencePair("a", "ab:", "yes", "no");
    PreferencePair tooLong = new PreferencePair("b", "ab:", "y".repeat(20), "no");
    PreferencePair promptFillsAllButOne = new PreferencePair("c", "p".repeat(context - 2), "yes", "");
    PairEncoding enc = PairEncoding.of(Dataset.of("d", List.of(fits, tooLong, promptFillsAllButOne)),
        ByteTokenizer.INSTANCE, context);
    assertThat(enc.truncated()).isEqualTo(2);
    EncodedPair a = enc.pairs().get(0);
    assertThat(a.chosen()).hasSize(1 + 3 + 3 + 1);
    assertThat(a.chosen()[a.chosen().length - 1]).isEqualTo(ByteTokenizer.INSTANCE.eosId());
    assertThat(a.chosenTokens()).isEqualTo(4);
    assertThat(a.rejectedTokens()).isEqualTo(3);
    EncodedPair b = enc.pairs().get(1);
    assertThat(b.chosen()).hasSize(context);
    assertThat(b.chosen()[context - 1]).isEqualTo(ByteTokenizer.INSTANCE.encode("y")[0]);
    assertThat(b.chosenTokens()).isEqualTo(context - 4);
    assertThat(b.rejected()).hasSize(1 + 3 + 2 + 1);
    EncodedPair c = enc.pairs().get(2);
    assertThat(c.chosenTokens()).isEqualTo(1);
    assertThat(c.rejectedTokens()).isEqualTo(1);
    assertThat(c.rejected()[context - 1]).isEqualTo(ByteTokenizer.INSTANCE.eosId());
    assertThat(enc.maxInputLength()).isEqualTo(context - 1);
  }
}
