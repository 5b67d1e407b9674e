package org.align4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizersTest {

  @TempDir Path dir;

  private static BpeTokenizer trained() {
    return BpeTrainer.builder().vocabSize(400).build().train(RandomText.corpus(4, 400));
  }

  @Test
  void saveAndLoadGiveIdenticalEncodings() {
    BpeTokenizer tokenizer = trained();
    Path file = dir.resolve("tok/tokenizer.json");
    Tokenizers.save(tokenizer, file);
    Tokenizer loaded = Tokenizers.load(file);
    assertThat(loaded).isEqualTo(tokenizer);
    Random random = new Random(9);
    for (String text : RandomText.corpus(5, 50)) {
      assertThat(loaded.encode(text)).containsExactly(tokenizer.encode(text));
    }
    String unicode = RandomText.codePoints(random, 100);
    assertThat(loaded.encode(unicode)).containsExactly(tokenizer.encode(unicode));
    assertThat(loaded.toJson()).isEqualTo(tokenizer.toJson());

    Tokenizers.save(ByteTokenizer.INSTANCE, dir.resolve("byte.json"));
    assertThat(Tokenizers.load(dir.resolve("byte.json"))).isSameAs(ByteTokenizer.INSTANCE);
  }

  @Test
  void preTokenizerIsSaved() {
    BpeTokenizer whole = BpeTrainer.builder().vocabSize(300).preTokenizer(PreTokenizer.NONE).build()
        .train(RandomText.corpus(4, 100));
    assertThat(((BpeTokenizer) Tokenizers.fromJson(whole.toJson())).preTokenizer()).isEqualTo(PreTokenizer.NONE);
  }

  @Test
  void corruptTruncatedOrForeignJsonIsRejectedClearly() {
    String json = trained().toJson();
    assertRejected(json.substring(0, json.length() / 2), "invalid or truncated JSON");
    assertRejected("", "not a tokenizer");
    assertRejected("[1, 2]", "expected a JSON object");
    assertRejected("{\"name\": \"bert\"}", "\"type\"");
    assertRejected("{\"type\": \"wordpiece\", \"version\": 1}", "unknown tokenizer type \"wordpiece\"");
    assertRejected("{\"type\": \"bpe\", \"version\": 99, \"merges\": []}", "version");
    assertRejected("{\"type\": \"bpe\", \"version\": 1, \"preTokenizer\": \"gpt2\"}", "\"merges\"");
    assertRejected("{\"type\": \"bpe\", \"version\": 1, \"preTokenizer\": \"gpt2\", \"merges\": [[1]]}", "merge 0");
    assertRejected("{\"type\": \"bpe\", \"version\": 1, \"preTokenizer\": \"gpt2\", \"merges\": [[1, 300]]}",
        "merge 0");
    assertRejected("{\"type\": \"bpe\", \"version\": 1, \"preTokenizer\": \"bert\", \"merges\": []}",
        "pre-tokenizer");
    assertRejected(
        "{\"type\":\"bpe\",\"version\":1,\"preTokenizer\":\"gpt2\",\"vocabSize\":300,\"merges\":[[97,98]]}",
        "vocabSize");
    assertRejected("{\"type\":\"byte\",\"version\":1} trailing", "invalid or truncated JSON");
  }

  @Test
  void loadNamesTheFile() throws IOException {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"type\": \"bpe\", \"vers");
    assertThatThrownBy(() -> Tokenizers.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broken.json")
        .hasMessageContaining("truncated");
  }

  private static void assertRejected(String json, String messagePart) {
    assertThatThrownBy(() -> Tokenizers.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(messagePart);
  }

  @Test
  void everyKnownTypeRoundTrips() {
    for (Tokenizer t : List.<Tokenizer>of(ByteTokenizer.INSTANCE, trained())) {
      assertThat(Tokenizers.fromJson(t.toJson())).isEqualTo(t);
    }
  }
}
