package org.align4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DatasetsTest {

  private static Dataset<TextExample> examples(int n) {
    List<TextExample> list = IntStream.range(0, n).mapToObj(i -> new TextExample("ex-" + i, "text " + i)).toList();
    return Dataset.of("numbers", list);
  }

  @Test
  void splitIsSeededDisjointCompleteAndStable() {
    Dataset<TextExample> data = examples(2000);
    TrainTestSplit<TextExample> split = Datasets.split(data, 0.2, 7);
    List<TextExample> train = split.train().toList();
    List<TextExample> test = split.test().toList();
    assertThat(train.size() + test.size()).isEqualTo(2000);
    Set<TextExample> both = new HashSet<>(train);
    both.retainAll(test);
    assertThat(both).isEmpty();
    assertThat(test.size()).isBetween(330, 470); // 400 expected, binomial sd ~18
    assertThat(Datasets.split(data, 0.2, 7).test().toList()).isEqualTo(test);
    assertThat(split.test().toList()).isEqualTo(test);
    assertThat(Datasets.split(data, 0.2, 8).test().toList()).isNotEqualTo(test);
    // membership depends only on the id: a smaller data set keeps each example on its side
    List<TextExample> testOfPrefix = Datasets.split(examples(500), 0.2, 7).test().toList();
    assertThat(testOfPrefix).isEqualTo(test.stream().filter(e -> Integer.parseInt(e.id().substring(3)) < 500)
        .toList());
    assertThat(Datasets.split(data, 0, 7).test().toList()).isEmpty();
    assertThat(Datasets.split(data, 1, 7).train().toList()).isEmpty();
    assertThat(split.test().name()).contains("numbers", "test", "seed=7");
  }

  @Test
  void splitStreamsWithoutMaterialising() {
    AtomicInteger opened = new AtomicInteger();
    Dataset<TextExample> counting = new Dataset<>() {
      @Override
      public Stream<TextExample> stream() {
        opened.incrementAndGet();
        return examples(100).stream();
      }

      @Override
      public String name() {
        return "counting";
      }
    };
    TrainTestSplit<TextExample> split = Datasets.split(counting, 0.5, 1);
    assertThat(opened).hasValue(0);
    split.train().toList();
    split.test().toList();
    assertThat(opened).hasValue(2);
  }

  @Test
  void splitValidatesArguments() {
    assertThatThrownBy(() -> Datasets.split(examples(3), 1.5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("testFraction");
    Dataset<String> strings = Dataset.of("s", List.of("a", "b"));
    assertThatThrownBy(() -> Datasets.split(strings, 0.5, 1).train().toList())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key function");
    assertThat(Datasets.split(strings, 0.5, 1, s -> s).train().toList().size()
        + Datasets.split(strings, 0.5, 1, s -> s).test().toList().size()).isEqualTo(2);
  }

  @Test
  void shuffleIsASeededPermutation() {
    Dataset<TextExample> data = examples(100);
    List<TextExample> shuffled = Datasets.shuffle(data, 3).toList();
    assertThat(shuffled).containsExactlyInAnyOrderElementsOf(data.toList());
    assertThat(shuffled).isNotEqualTo(data.toList());
    assertThat(Datasets.shuffle(data, 3).toList()).isEqualTo(shuffled);
    assertThat(Datasets.shuffle(data, 4).toList()).isNotEqualTo(shuffled);
  }

  @Test
  void sampleIsSeededUniformAndOrdered() {
    Dataset<TextExample> data = examples(50);
    List<TextExample> sample = Datasets.sample(data, 10, 5).toList();
    assertThat(sample).hasSize(10).doesNotHaveDuplicates();
    assertThat(data.toList()).containsSubsequence(sample);
    assertThat(Datasets.sample(data, 10, 5).toList()).isEqualTo(sample);
    assertThat(Datasets.sample(data, 10, 6).toList()).isNotEqualTo(sample);
    assertThat(Datasets.sample(data, 80, 5).toList()).isEqualTo(data.toList());
    assertThat(Datasets.sample(data, 0, 5).toList()).isEmpty();
    // each element is drawn with probability n / N: count over many seeds
    int[] hits = new int[50];
    for (long seed = 0; seed < 2000; seed++) {
      for (TextExample e : Datasets.sample(data, 10, seed)) {
        hits[Integer.parseInt(e.id().substring(3))]++;
      }
    }
    for (int h : hits) {
      assertThat(h).isBetween(300, 500); // 400 expected, sd ~18
    }
  }
}
