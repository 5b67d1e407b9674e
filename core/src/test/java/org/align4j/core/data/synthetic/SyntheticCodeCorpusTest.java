package org.align4j.core.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Datasets;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.data.TextExample;
import org.align4j.core.data.TrainTestSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCodeCorpusTest {

  @TempDir Path dir;

  private static SyntheticCodeCorpus corpus(long seed, int n) {
    return SyntheticCodeCorpus.builder().seed(seed).uniqueExamples(n).build();
  }

  @Test
  void sameSeedSameCorpusDifferentSeedDifferent() {
    List<TextExample> first = corpus(3, 300).examples().toList();
    assertThat(corpus(3, 300).examples().toList()).isEqualTo(first);
    assertThat(corpus(3, 300).trainingSet().toList()).isEqualTo(corpus(3, 300).trainingSet().toList());
    List<TextExample> other = corpus(4, 300).examples().toList();
    long same = 0;
    for (int i = 0; i < first.size(); i++) {
      if (first.get(i).text().equals(other.get(i).text())) {
        same++;
      }
    }
    assertThat(same).isZero();
    assertThat(DataFingerprint.ofTexts(corpus(3, 300).examples())).isEqualTo(DataFingerprint.ofTexts(corpus(3, 300).examples()))
        .isNotEqualTo(DataFingerprint.ofTexts(corpus(4, 300).examples()));
  }

  @Test
  void examplesHaveIdsMetadataAndPlausibleLengths() {
    List<TextExample> examples = corpus(1, 600).examples().toList();
    assertThat(examples.get(17).id()).isEqualTo("code-00017");
    assertThat(corpus(1, 600).example(17)).isEqualTo(examples.get(17));
    Set<String> templates = new HashSet<>();
    int inRange = 0;
    for (TextExample e : examples) {
      assertThat(e.metadata()).containsKeys("duplicates", "has_pii", "template", "language");
      assertThat(e.metadata().get("duplicates")).isInstanceOf(Integer.class);
      assertThat(e.metadata().get("has_pii")).isInstanceOf(Boolean.class);
      templates.add((String) e.metadata().get("template"));
      if (e.text().length() >= 200 && e.text().length() <= 600) {
        inRange++;
      }
    }
    assertThat(inRange).isGreaterThanOrEqualTo(540);
    assertThat(templates).containsExactlyInAnyOrderElementsOf(SyntheticCodeCorpus.templateNames());
    assertThat(examples.stream().map(TextExample::text).distinct().count()).isEqualTo(600);
  }

  @Test
  void bodiesAreNotPredictableFromTheirPrefix() {
    // group examples by their first 32 characters: examples sharing a prefix must still differ after it
    Map<String, Set<String>> suffixes = new HashMap<>();
    for (TextExample e : corpus(2, 1000).examples()) {
      suffixes.computeIfAbsent(e.text().substring(0, 32), k -> new HashSet<>()).add(e.text().substring(32));
    }
    long shared = suffixes.values().stream().filter(s -> s.size() > 1).count();
    assertThat(shared).isPositive(); // common prefixes exist (def compute_..., static List<String> ...) ...
    assertThat(suffixes.values().stream().mapToInt(Set::size).sum()).isEqualTo(1000); // ... with distinct bodies
  }

  @Test
  void duplicatesCoverPowersOfTwoEvenly() {
    Map<Integer, Integer> counts = new TreeMap<>();
    for (TextExample e : corpus(5, 600).examples()) {
      counts.merge((Integer) e.metadata().get("duplicates"), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys(1, 2, 4, 8, 16, 32);
    assertThat(counts.values()).allMatch(c -> c == 100);
    SyntheticCodeCorpus odd = SyntheticCodeCorpus.builder().uniqueExamples(50).maxDuplicates(10).build();
    assertThat(odd.examples().toList()).extracting(e -> (Integer) e.metadata().get("duplicates"))
        .containsOnly(1, 2, 4, 8, 10);
  }

  @Test
  void piiFractionAndLanguageMixAreHonoured() {
    SyntheticCodeCorpus c = SyntheticCodeCorpus.builder().seed(6).uniqueExamples(400).piiFraction(0.25)
        .pythonFraction(0.75).build();
    List<TextExample> examples = c.examples().toList();
    List<TextExample> pii = examples.stream().filter(e -> (Boolean) e.metadata().get("has_pii")).toList();
    assertThat(pii).hasSize(100);
    Set<String> types = new HashSet<>();
    for (TextExample e : pii) {
      String value = (String) e.metadata().get("pii_value");
      types.add((String) e.metadata().get("pii_type"));
      assertThat(e.text()).contains(value);
      assertThat(e.text().indexOf(value)).isGreaterThan(e.text().indexOf('\n'));
    }
    assertThat(types).containsExactlyInAnyOrder("email", "url", "api_key", "phone");
    assertThat(pii).anyMatch(e -> e.text().contains("sk_live_"));
    assertThat(examples.stream().filter(e -> !(Boolean) e.metadata().get("has_pii")))
        .noneMatch(e -> e.metadata().containsKey("pii_value") || e.text().contains("sk_live_")
            || e.text().contains("@"));
    assertThat(examples.stream().filter(e -> e.metadata().get("language").equals("python")).count())
        .isEqualTo(300);
    assertThat(SyntheticCodeCorpus.builder().uniqueExamples(100).piiFraction(0).build().examples().toList())
        .noneMatch(e -> (Boolean) e.metadata().get("has_pii"));
  }

  @Test
  void trainingSetRepeatsEachExampleInShuffledOrder() {
    SyntheticCodeCorpus c = corpus(7, 60);
    List<TextExample> examples = c.examples().toList();
    List<TextExample> training = c.trainingSet().toList();
    int expected = examples.stream().mapToInt(e -> (Integer) e.metadata().get("duplicates")).sum();
    assertThat(training).hasSize(expected);
    Map<String, Integer> copies = new HashMap<>();
    for (TextExample t : training) {
      String base = t.id().substring(0, t.id().indexOf('#'));
      copies.merge(base, 1, Integer::sum);
      TextExample original = examples.get(Integer.parseInt(base.substring(5)));
      assertThat(t.text()).isEqualTo(original.text());
      assertThat((Integer) t.metadata().get("copy")).isBetween(1, (Integer) original.metadata().get("duplicates"));
    }
    for (TextExample e : examples) {
      assertThat(copies.get(e.id())).isEqualTo(e.metadata().get("duplicates"));
    }
    assertThat(training.stream().map(TextExample::id).distinct().count()).isEqualTo(expected);
    // shuffled: the copies of one example are not all adjacent
    assertThat(training.subList(0, 20).stream().map(t -> t.id().substring(0, 10)).distinct().count())
        .isGreaterThan(5);
  }

  @Test
  void trainingSetOfASplitHoldsOutTheTestExamples() {
    SyntheticCodeCorpus c = corpus(8, 200);
    TrainTestSplit<TextExample> split = Datasets.split(c.examples(), 0.2, 1);
    Set<String> testTexts = new HashSet<>();
    split.test().forEach(e -> testTexts.add(e.text()));
    assertThat(testTexts).isNotEmpty();
    Dataset<TextExample> training = c.trainingSet(split.train());
    assertThat(training.toList()).noneMatch(t -> testTexts.contains(t.text()));
    assertThatThrownBy(() -> c.trainingSet(Dataset.of("plain", List.of(new TextExample("a", "b")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicates");
  }

  @Test
  void metadataSurvivesJsonl() {
    Path file = dir.resolve("corpus.jsonl");
    List<TextExample> examples = corpus(9, 40).examples().toList();
    JsonlDatasets.writeTextExamples(file, examples);
    assertThat(JsonlDatasets.textExamples(file).toList()).isEqualTo(examples);
    // the round trip keeps the types too, so a reloaded subset can be expanded
    assertThat(corpus(9, 40).trainingSet(JsonlDatasets.textExamples(file)).toList())
        .isEqualTo(corpus(9, 40).trainingSet().toList());
  }

  @Test
  void validatesSettings() {
    assertThatThrownBy(() -> SyntheticCodeCorpus.builder().uniqueExamples(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uniqueExamples");
    assertThatThrownBy(() -> SyntheticCodeCorpus.builder().maxDuplicates(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDuplicates");
    assertThatThrownBy(() -> SyntheticCodeCorpus.builder().piiFraction(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("piiFraction");
    assertThatThrownBy(() -> SyntheticCodeCorpus.builder().pythonFraction(-0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pythonFraction");
    assertThatThrownBy(() -> corpus(1, 10).example(10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index");
  }
}
