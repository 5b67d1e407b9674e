package org.align4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BpeTokenizerTest {

  private static List<String> corpus;
  private static BpeTokenizer tokenizer;

  @BeforeAll
  static void train() {
    corpus = RandomText.corpus(1, 2000);
    tokenizer = BpeTrainer.builder().vocabSize(600).build().train(corpus);
  }

  @Test
  void specialIdsFollowTheMerges() {
    int merges = tokenizer.merges().size();
    assertThat(merges).isEqualTo(600 - 259);
    assertThat(tokenizer.vocabSize()).isEqualTo(256 + merges + 3);
    assertThat(tokenizer.bosId()).isEqualTo(256 + merges);
    assertThat(tokenizer.eosId()).isEqualTo(257 + merges);
    assertThat(tokenizer.padId()).isEqualTo(258 + merges);
  }

  @Test
  void roundTripsRandomUnicode() {
    BpeTokenizer whole = BpeTrainer.builder().vocabSize(400).preTokenizer(PreTokenizer.NONE).build().train(corpus);
    for (long seed = 0; seed < 300; seed++) {
      Random random = new Random(seed);
      String text = RandomText.codePoints(random, random.nextInt(201));
      assertThat(tokenizer.decode(tokenizer.encode(text))).as("seed %d", seed).isEqualTo(text);
      assertThat(whole.decode(whole.encode(text))).as("seed %d", seed).isEqualTo(text);
    }
  }

  @Test
  void roundTripsEdgeCases() {
    for (String text : List.of("", " ", "\u0000", "e\u0301", "👩‍👩‍👧", "\uD83D\uDE00x", "  \n\t\r\n ", "日本語のテキスト",
        "it's   spaced ", "\u200B\uFEFF", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢")) {
      assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
    }
  }

  @Test
  void encodingMatchesTheObviousAlgorithm() {
    Random random = new Random(3);
    List<String> texts = new ArrayList<>(corpus.subList(0, 100));
    for (int i = 0; i < 100; i++) {
      texts.add(RandomText.codePoints(random, random.nextInt(60)));
    }
    for (String text : texts) {
      assertThat(tokenizer.encode(text)).as(text).containsExactly(slowEncode(tokenizer, text));
    }
  }

  @Test
  void compressesTheTrainingCorpus() {
    long bytes = 0;
    long tokens = 0;
    for (String line : corpus) {
      bytes += line.getBytes(StandardCharsets.UTF_8).length;
      tokens += tokenizer.encode(line).length;
    }
    assertThat(tokens).isLessThan(bytes / 2);
  }

  @Test
  void decodeSkipsSpecialsAndNeverFailsOnInvalidUtf8() {
    int[] ids = tokenizer.encode("hello world");
    int[] withSpecials = new int[ids.length + 2];
    withSpecials[0] = tokenizer.bosId();
    System.arraycopy(ids, 0, withSpecials, 1, ids.length);
    withSpecials[ids.length + 1] = tokenizer.eosId();
    assertThat(tokenizer.decode(withSpecials)).isEqualTo("hello world");
    Random random = new Random(11);
    for (int i = 0; i < 200; i++) {
      int[] randomIds = random.ints(random.nextInt(40), 0, tokenizer.vocabSize()).toArray();
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      for (int id : randomIds) {
        if (!tokenizer.isSpecial(id)) {
          bytes.writeBytes(tokenizer.tokenBytes(id));
        }
      }
      assertThat(tokenizer.decode(randomIds))
          .isEqualTo(new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> tokenizer.decode(new int[] {tokenizer.vocabSize()}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tokenBytesJoinTheMergedTokens() {
    BpeTokenizer.Merge first = tokenizer.merges().get(0);
    byte[] joined = tokenizer.tokenBytes(256);
    assertThat(joined).containsExactly((byte) first.left(), (byte) first.right());
  }

  @Test
  void rejectsMergesOfUndefinedTokensOrRepeatedPairs() {
    assertThatThrownBy(() -> BpeTokenizer.of(List.of(new BpeTokenizer.Merge(97, 256)), PreTokenizer.GPT2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("merge 0");
    assertThatThrownBy(() -> BpeTokenizer.of(
            List.of(new BpeTokenizer.Merge(97, 98), new BpeTokenizer.Merge(97, 98)), PreTokenizer.GPT2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repeats");
  }

  @Test
  void gpt2PreTokenizerCoversTheText() {
    assertThat(PreTokenizer.GPT2.split("Hello, world! it's 2024  ok\n"))
        .containsExactly("Hello", ",", " world", "!", " it", "'s", " 2024", " ", " ok", "\n");
    Random random = new Random(5);
    for (int i = 0; i < 100; i++) {
      String text = RandomText.codePoints(random, random.nextInt(100));
      assertThat(String.join("", PreTokenizer.GPT2.split(text))).isEqualTo(text);
    }
  }

  /** Repeatedly merges every occurrence of the lowest-ranked adjacent pair, left to right, chunk by chunk. */
  static int[] slowEncode(BpeTokenizer tokenizer, String text) {
    List<Integer> out = new ArrayList<>();
    List<BpeTokenizer.Merge> merges = tokenizer.merges();
    for (String chunk : tokenizer.preTokenizer().split(text)) {
      List<Integer> ids = new ArrayList<>();
      for (byte b : chunk.getBytes(StandardCharsets.UTF_8)) {
        ids.add(b & 0xFF);
      }
      while (true) {
        int best = -1;
        for (int i = 0; i + 1 < ids.size(); i++) {
          int rank = merges.indexOf(new BpeTokenizer.Merge(ids.get(i), ids.get(i + 1)));
          if (rank >= 0 && (best < 0 || rank < best)) {
            best = rank;
          }
        }
        if (best < 0) {
          break;
        }
        BpeTokenizer.Merge m = merges.get(best);
        List<Integer> merged = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
          if (i + 1 < ids.size() && ids.get(i) == m.left() && ids.get(i + 1) == m.right()) {
            merged.add(256 + best);
            i++;
          } else {
            merged.add(ids.get(i));
          }
        }
        ids = merged;
      }
      out.addAll(ids);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
