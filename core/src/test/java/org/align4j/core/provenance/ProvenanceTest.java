package org.align4j.core.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A settings record with a nested record, an optional, an enum and a function. */
  record Inner(double beta, Thread.State state) {}

  record Settings(int batchSize, Inner inner, Optional<String> cache, Optional<String> name,
      java.util.function.Supplier<String> supplier) {}

  private static final Settings SETTINGS =
      new Settings(8, new Inner(0.1, Thread.State.NEW), Optional.empty(), Optional.of("n"), () -> "x");

  @Test
  void eachStageIsAppendedAndNoneIsForgotten() {
    Provenance p = Provenance.of("TransformerLm", Map.of("dModel", 16), 7);
    assertThat(p.history()).isEmpty();
    assertThat(p.dataName()).isEmpty();
    assertThat(p.steps()).isZero();
    Provenance sft = p.withStage(TrainingStage.of("sft", "corpus", "aa", SETTINGS, 30, 1));
    Provenance dpo = sft.withStage(TrainingStage.of("dpo", "pairs", "bb", SETTINGS, 12, 2));
    assertThat(dpo.history()).extracting(TrainingStage::kind).containsExactly("sft", "dpo");
    assertThat(dpo.history().get(0).dataName()).isEqualTo("corpus");
    assertThat(dpo.dataName()).isEqualTo("pairs");
    assertThat(dpo.dataSha256()).isEqualTo("bb");
    assertThat(dpo.steps()).isEqualTo(42);
    assertThat(sft.history()).hasSize(1); // immutable: appending made a new value
    assertThat(dpo.seed()).isEqualTo(7);
  }

  @Test
  void settingsAreAStringMapWithNestedKeys() {
    assertThat(TrainingStage.settingsOf(SETTINGS)).containsExactly(Map.entry("batchSize", "8"),
        Map.entry("inner.beta", "0.1"), Map.entry("inner.state", "NEW"), Map.entry("name", "n"),
        Map.entry("supplier", "(function)"));
  }

  @Test
  void jsonRoundTripsTheWholeHistoryIncludingAnInfiniteEpsilon() throws Exception {
    PrivacySpent spent = new PrivacySpent(1.25, 1e-5, 1.1, 0.01, 300, "rdp", PrivacyUnit.PROMPT);
    PrivacySpent unbounded = new PrivacySpent(Double.POSITIVE_INFINITY, 1e-5, 0.3, 1, 5, "pld", PrivacyUnit.EXAMPLE);
    Provenance p = Provenance.of("TransformerLm", Map.of("dModel", 16, "dropout", 0.0), 7)
        .withStage(TrainingStage.of("sft", "corpus", "aa", SETTINGS, 30, 1))
        .withStage(TrainingStage.of("ppo", "prompts", "cc", SETTINGS, 3, 4).withPrivacy(spent))
        .withStage(TrainingStage.of("sft", "more", "dd", SETTINGS, 3, 4).withPrivacy(unbounded));
    String text = JSON.writeValueAsString(p);
    assertThat(JSON.readValue(text, Provenance.class)).isEqualTo(p);
    assertThat(JSON.readTree(text).path("history").get(1).path("privacy").path("unit").asText()).isEqualTo("prompt");
  }

  @Test
  void theFormatBeforeHistoriesIsReadAsOneLegacyStage() throws Exception {
    JsonNode old = JSON.readTree("{\"kind\":\"TransformerLm\",\"configuration\":{\"dModel\":16},\"dataName\":\"d\","
        + "\"dataSha256\":\"ab\",\"seed\":7,\"steps\":3,\"libraryVersion\":\"0.1.0\",\"createdAt\":\"2026-01-01T00:00:00Z\"}");
    Provenance p = Provenance.fromJson(old);
    assertThat(p.history()).singleElement().satisfies(s -> {
      assertThat(s.kind()).isEqualTo("legacy");
      assertThat(s.dataName()).isEqualTo("d");
      assertThat(s.dataFingerprint()).isEqualTo("ab");
      assertThat(s.steps()).isEqualTo(3);
      assertThat(s.isPrivate()).isFalse();
    });
    ((ObjectNode) old).put("steps", 0).put("dataName", "");
    assertThat(Provenance.fromJson(old).history()).isEmpty();
  }

  @Test
  void anUnreadableHistoryNamesTheField() throws Exception {
    Provenance p = Provenance.of("TransformerLm", Map.of(), 7)
        .withStage(TrainingStage.of("sft", "corpus", "aa", SETTINGS, 30, 1)
            .withPrivacy(new PrivacySpent(1, 1e-5, 1, 0.1, 3, "rdp", PrivacyUnit.EXAMPLE)));
    ObjectNode json = p.toJson().deepCopy();
    ((ObjectNode) json.path("history").get(0).path("privacy")).put("delta", 2.0);
    assertThatThrownBy(() -> Provenance.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("history[0].privacy.").hasMessageContaining("delta must be in (0, 1), got 2.0");
    ((ObjectNode) json.path("history").get(0).path("privacy")).put("delta", 1e-5);
    assertThat(Provenance.fromJson(json)).isEqualTo(p);
    ((ObjectNode) json.path("history").get(0)).remove("steps");
    assertThatThrownBy(() -> Provenance.fromJson(json)).hasMessageContaining("history[0].steps must be an integer");
    json.put("history", "none");
    assertThatThrownBy(() -> Provenance.fromJson(json)).hasMessageContaining("history must be an array");
    assertThatThrownBy(() -> TrainingStage.of("SFT!", "d", "", SETTINGS, 1, 1))
        .hasMessageContaining("stage kind must be lower-case");
    assertThat(List.of(PrivacyUnit.values())).extracting(PrivacyUnit::jsonName).containsExactly("example", "prompt");
  }
}
