package org.align4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.align4j.core.hf.HfFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hugging Face tokenizers against independent references: GPT-2's real vocabulary and merges against the ids of
 * the npm package gpt-tokenizer ({@code tools/gpt2_tokenizer_reference.mjs}), the tiny byte-fallback tokenizer
 * against {@code tools/hf_reference.py}; round trips of random Unicode for both.
 */
class HfTokenizerTest {

  private static HfTokenizer gpt2;
  private static HfTokenizer llama;

  @BeforeAll
  static void load() throws IOException {
    Path dir = HfFixtures.root().resolve("gpt2-tokenizer");
    gpt2 = HfTokenizer.fromVocabAndMerges(Files.readString(dir.resolve("vocab.json")),
        Files.readString(dir.resolve("merges.txt")), 50256, 50256, 50256, 50257);
    String json = Files.readString(HfFixtures.folder("llama").resolve("tokenizer.json"));
    llama = HfTokenizer.fromTokenizerJson(json, 1, 2, 2, HfFixtures.json("llama/config.json").get("vocab_size")
        .asInt());
  }

  @Test
  void gpt2IdsMatchAnIndependentImplementation() {
    JsonNode ref = HfFixtures.json("gpt2-tokenizer/reference_ids.json");
    assertThat(ref.size()).isGreaterThan(300);
    for (JsonNode e : ref) {
      String text = e.get("text").asText();
      int[] ids = HfFixtures.ints(e.get("ids"));
      assertThat(gpt2.encode(text)).as("%s", text).containsExactly(ids);
      assertThat(gpt2.decode(ids)).isEqualTo(text);
    }
  }

  @Test
  void gpt2TokenizerJsonFormAndCheckpointJsonEncodeAlike() {
    HfTokenizer viaJson = HfTokenizer.fromTokenizerJson(gpt2.tokenizerJson(), 50256, 50256, 50256, 50257);
    Tokenizer viaCheckpoint = Tokenizers.fromJson(gpt2.toJson());
    assertThat(viaCheckpoint).isInstanceOf(HfTokenizer.class);
    for (JsonNode e : HfFixtures.json("gpt2-tokenizer/reference_ids.json")) {
      int[] ids = HfFixtures.ints(e.get("ids"));
      assertThat(viaJson.encode(e.get("text").asText())).containsExactly(ids);
      assertThat(viaCheckpoint.encode(e.get("text").asText())).containsExactly(ids);
    }
    assertThat(viaCheckpoint.eosId()).isEqualTo(50256);
    assertThat(viaCheckpoint.isSpecial(50256)).isTrue();
  }

  @Test
  void byteFallbackIdsMatchTheReference() {
    for (String family : new String[] {"llama", "qwen2"}) {
      for (JsonNode e : HfFixtures.json(family + "/tokenizer_reference.json")) {
        String text = e.get("text").asText();
        assertThat(llama.encode(text)).as("%s", text).containsExactly(HfFixtures.ints(e.get("ids")));
      }
    }
    assertThat(llama.encode("emoji 🙂")).contains(llama.tokenId("<0xF0>"));
  }

  @Test
  void randomUnicodeRoundTrips() {
    Random random = new Random(16);
    for (int i = 0; i < 300; i++) {
      String s = RandomText.codePoints(random, 1 + random.nextInt(40));
      assertThat(gpt2.decode(gpt2.encode(s))).isEqualTo(s);
      // the byte-fallback tokenizer writes spaces as U+2581, so that character itself does not come back
      String t = s.replace('\u2581', 'x');
      assertThat(llama.decode(llama.encode(t))).isEqualTo(t);
    }
  }

  @Test
  void specialTokensAreNeitherProducedFromTextNorDecoded() {
    int[] ids = gpt2.encode("a<|endoftext|>b");
    assertThat(ids).doesNotContain(50256);
    assertThat(gpt2.decode(ids)).isEqualTo("a<|endoftext|>b");
    assertThat(gpt2.decode(new int[] {64, 50256, 65})).isEqualTo("ab");
    assertThat(llama.decode(new int[] {1, llama.tokenId("\u2581the"), 2})).isEqualTo("the");
  }

  @Test
  void unspecifiedSpecialIdsComeFromTheUsualNames() {
    HfTokenizer t = HfTokenizer.fromTokenizerJson(llama.tokenizerJson(), -1, -1, -1, llama.vocabSize());
    assertThat(new int[] {t.bosId(), t.eosId(), t.padId()}).containsExactly(1, 2, 2);
    HfTokenizer g = HfTokenizer.fromTokenizerJson(gpt2.tokenizerJson(), -1, -1, -1, 50257);
    assertThat(new int[] {g.bosId(), g.eosId(), g.padId()}).containsExactly(50256, 50256, 50256);
  }

  @Test
  void badDocumentsAreRejectedByName() {
    assertThatThrownBy(() -> HfTokenizer.fromTokenizerJson(gpt2.tokenizerJson(), 0, 0, 0, 50000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("50256")
        .hasMessageContaining("50000 rows");
    String wordPiece = "{\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"a\":0}}}";
    assertThatThrownBy(() -> HfTokenizer.fromTokenizerJson(wordPiece, 0, 0, 0, 1))
        .hasMessageContaining("WordPiece");
    String digits = "{\"pre_tokenizer\":{\"type\":\"Digits\"},\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},"
        + "\"merges\":[]}}";
    assertThatThrownBy(() -> HfTokenizer.fromTokenizerJson(digits, 0, 0, 0, 1))
        .hasMessageContaining("pre-tokenizer Digits");
    assertThatThrownBy(() -> HfTokenizer.fromTokenizerJson("{not json", 0, 0, 0, 1))
        .hasMessageContaining("not valid JSON");
  }
}
