package org.align4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {

  @Test
  void incrementalTrainingMatchesRecountingFromScratch() {
    List<String> corpus = RandomText.corpus(2, 300);
    BpeTrainer trainer = BpeTrainer.builder().vocabSize(420).build();
    assertThat(trainer.train(corpus).merges()).isEqualTo(slowTrain(corpus, 420 - 259, 2, PreTokenizer.GPT2));
    BpeTrainer whole = BpeTrainer.builder().vocabSize(330).preTokenizer(PreTokenizer.NONE).build();
    assertThat(whole.train(corpus).merges()).isEqualTo(slowTrain(corpus, 330 - 259, 2, PreTokenizer.NONE));
  }

  @Test
  void trainingIsDeterministic() {
    List<String> corpus = RandomText.corpus(3, 500);
    BpeTrainer trainer = BpeTrainer.builder().vocabSize(500).build();
    BpeTokenizer first = trainer.train(corpus);
    BpeTokenizer second = trainer.train(corpus);
    assertThat(second).isEqualTo(first);
    assertThat(second.toJson()).isEqualTo(first.toJson());
  }

  @Test
  void stopsWhenNoPairIsFrequentEnough() {
    BpeTokenizer tokenizer = BpeTrainer.builder().vocabSize(1000).build().train(List.of("abab", "cd"));
    // "abab": ab occurs twice -> merged; then (ab, ab) once, (c, d) once: below minFrequency 2
    assertThat(tokenizer.merges()).containsExactly(new BpeTokenizer.Merge('a', 'b'));
    BpeTokenizer all = BpeTrainer.builder().vocabSize(1000).minFrequency(1).build().train(List.of("abab", "cd"));
    assertThat(all.merges()).hasSize(3);
    assertThat(all.encode("abab")).hasSize(1);
  }

  @Test
  void emptyCorpusGivesByteLevelTokenizer() {
    BpeTokenizer tokenizer = BpeTrainer.builder().build().train(List.of());
    assertThat(tokenizer.vocabSize()).isEqualTo(259);
    assertThat(tokenizer.decode(tokenizer.encode("x€"))).isEqualTo("x€");
  }

  @Test
  void validatesSettings() {
    assertThatThrownBy(() -> BpeTrainer.builder().vocabSize(258))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vocabSize")
        .hasMessageContaining("258");
    assertThatThrownBy(() -> BpeTrainer.builder().minFrequency(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minFrequency");
  }

  /** Counts every pair from scratch before each merge; ties to the smaller left id, then right id. */
  private static List<BpeTokenizer.Merge> slowTrain(
      List<String> corpus, int maxMerges, int minFrequency, PreTokenizer pre) {
    List<List<Integer>> words = new ArrayList<>();
    for (String text : corpus) {
      for (String chunk : pre.split(text)) {
        List<Integer> ids = new ArrayList<>();
        for (byte b : chunk.getBytes(StandardCharsets.UTF_8)) {
          ids.add(b & 0xFF);
        }
        words.add(ids);
      }
    }
    List<BpeTokenizer.Merge> merges = new ArrayList<>();
    Comparator<BpeTokenizer.Merge> order =
        Comparator.comparingInt(BpeTokenizer.Merge::left).thenComparingInt(BpeTokenizer.Merge::right);
    while (merges.size() < maxMerges) {
      Map<BpeTokenizer.Merge, Integer> counts = new TreeMap<>(order);
      for (List<Integer> w : words) {
        for (int i = 0; i + 1 < w.size(); i++) {
          counts.merge(new BpeTokenizer.Merge(w.get(i), w.get(i + 1)), 1, Integer::sum);
        }
      }
      BpeTokenizer.Merge best = null;
      int bestCount = 0;
      for (Map.Entry<BpeTokenizer.Merge, Integer> e : counts.entrySet()) {
        if (e.getValue() > bestCount) {
          best = e.getKey();
          bestCount = e.getValue();
        }
      }
      if (best == null || bestCount < minFrequency) {
        break;
      }
      int token = 256 + merges.size();
      merges.add(best);
      for (List<Integer> w : words) {
        for (int i = 0; i + 1 < w.size(); i++) {
          if (w.get(i) == best.left() && w.get(i + 1) == best.right()) {
            w.set(i, token);
            w.remove(i + 1);
          }
        }
      }
    }
    return merges;
  }
}
