package org.align4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {

  private final ByteTokenizer tokenizer = ByteTokenizer.INSTANCE;

  @Test
  void idsAreUtf8BytesThenSpecials() {
    assertThat(tokenizer.encode("aé€")).containsExactly(0x61, 0xC3, 0xA9, 0xE2, 0x82, 0xAC);
    assertThat(tokenizer.vocabSize()).isEqualTo(259);
    assertThat(new int[] {tokenizer.bosId(), tokenizer.eosId(), tokenizer.padId()}).containsExactly(256, 257, 258);
    assertThat(tokenizer.isSpecial(257)).isTrue();
    assertThat(tokenizer.isSpecial(255)).isFalse();
    assertThat(tokenizer.encode("")).isEmpty();
  }

  @Test
  void roundTripsRandomUnicode() {
    for (long seed = 0; seed < 300; seed++) {
      Random random = new Random(seed);
      String text = RandomText.codePoints(random, random.nextInt(201));
      assertThat(tokenizer.decode(tokenizer.encode(text))).as("seed %d", seed).isEqualTo(text);
    }
  }

  @Test
  void decodeSkipsSpecialsAndReplacesInvalidUtf8() {
    assertThat(tokenizer.decode(new int[] {256, 0x68, 258, 0x69, 257})).isEqualTo("hi");
    // a lone continuation byte, a truncated 3-byte sequence and an overlong encoding
    assertThat(tokenizer.decode(new int[] {0x80, 0x61})).isEqualTo("\uFFFDa");
    assertThat(tokenizer.decode(new int[] {0xE2, 0x82})).isEqualTo("\uFFFD");
    assertThat(tokenizer.decode(new int[] {0xC0, 0xAF})).doesNotContain("/");
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      int[] ids = random.ints(random.nextInt(50), 0, 259).toArray();
      byte[] bytes = java.util.Arrays.stream(ids).filter(id -> id < 256).collect(java.io.ByteArrayOutputStream::new,
          (out, id) -> out.write(id), (a, b) -> a.write(b.toByteArray(), 0, b.size())).toByteArray();
      assertThat(tokenizer.decode(ids)).isEqualTo(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void rejectsOutOfRangeIds() {
    assertThatThrownBy(() -> tokenizer.decode(new int[] {259}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("259");
    assertThatThrownBy(() -> tokenizer.decode(new int[] {-1})).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jsonRoundTrip() {
    assertThat(Tokenizers.fromJson(tokenizer.toJson())).isSameAs(ByteTokenizer.INSTANCE);
  }
}
