package org.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;

class SftTrainerTest {

  private static final ByteTokenizer TOK = ByteTokenizer.INSTANCE;
  private static final List<String> LINES = List.of(
      "def add(a, b): return a + b",
      "print('hello world')",
      "x = [i * i for i in range(9)]",
      "import os; os.getenv('HOME')");

  private static Dataset<TextExample> corpus() {
    List<TextExample> examples = new java.util.ArrayList<>();
    for (int i = 0; i < LINES.size(); i++) {
      examples.add(new TextExample("line-" + i, LINES.get(i)));
    }
    return Dataset.of("four-lines", examples);
  }

  private static int[] prompt(String text) {
    int[] body = TOK.encode(text);
    int[] p = new int[body.length + 1];
    p[0] = TOK.bosId();
    System.arraycopy(body, 0, p, 1, body.length);
    return p;
  }

  @Test
  void memorizesARepeatedCorpusAndReproducesALine() {
    TransformerLm model = TransformerLm.create(TinyModels.config(48), TOK, 1);
    SftConfig config = SftConfig.builder().batchSize(4).maxSteps(300).learningRate(1e-2).warmupSteps(10)
        .weightDecay(0).seed(1).build();
    ByteArrayOutputStream bar = new ByteArrayOutputStream();
    TrainingResult result = new SftTrainer(config, new ProgressBar("sft", new PrintStream(bar, true,
        StandardCharsets.UTF_8))).train(model, corpus());
    assertThat(result.steps()).isEqualTo(300);
    assertThat(result.history().get(0).loss()).isGreaterThan(4.0);
    assertThat(result.finalLoss()).isLessThan(0.1);
    String line = LINES.get(2);
    int[] generated = result.model().generate(List.of(prompt(line.substring(0, 8))),
        GenerationConfig.greedy(40)).get(0);
    assertThat(TOK.decode(generated)).isEqualTo(line.substring(8));
    assertThat(generated[generated.length - 1]).isEqualTo(TOK.eosId());
    assertThat(result.model().provenance().steps()).isEqualTo(300);
    assertThat(result.model().provenance().dataName()).isEqualTo("four-lines");
    assertThat(result.model().provenance().dataSha256()).hasSize(64);
    assertThat(bar.toString(StandardCharsets.UTF_8)).contains("step 300/300").contains("tok/s").contains("ETA");
  }

  @Test
  void sameSeedGivesTheSameWeights() {
    SftConfig config = SftConfig.builder().batchSize(2).maxSteps(5).seed(7).build();
    TransformerLm a = TransformerLm.create(TinyModels.config(32), TOK, 2);
    TransformerLm b = TransformerLm.create(TinyModels.config(32), TOK, 2);
    new SftTrainer(config).train(a, corpus());
    new SftTrainer(config).train(b, corpus());
    for (String name : a.weights().asMap().keySet()) {
      assertThat(a.weights().get(name)).as(name).isEqualTo(b.weights().get(name));
    }
    TransformerLm c = TransformerLm.create(TinyModels.config(32), TOK, 2);
    new SftTrainer(SftConfig.builder().batchSize(2).maxSteps(5).seed(8).build()).train(c, corpus());
    assertThat(c.weights().get("tok_emb")).isNotEqualTo(a.weights().get("tok_emb"));
  }

  @Test
  void completionMaskingLeavesThePromptUntrained() {
    TransformerLm model = TransformerLm.create(TinyModels.config(48), TOK, 3);
    List<SftExample> pairs = List.of(new SftExample("Q: colour? A:", " blue"), new SftExample("Q: animal? A:", " cat"));
    MetricsHistory history = new MetricsHistory();
    new SftTrainer(SftConfig.builder().batchSize(2).maxSteps(150).learningRate(1e-2).weightDecay(0).build(), history)
        .trainOnCompletions(model, Dataset.of("qa", pairs), null);
    assertThat(history.steps().get(0).tokens()).isEqualTo(" blue".length() + " cat".length() + 2);
    float[] lp = model.tokenLogProbs(List.of(prompt("Q: colour? A: blue"))).get(0);
    double completion = 0;
    for (int t = "Q: colour? A:".length(); t < lp.length; t++) {
      completion += lp[t];
    }
    assertThat(completion / " blue".length()).isGreaterThan(-0.1);
  }

  @Test
  void earlyStoppingRestoresTheBestWeights() {
    TransformerLm model = TransformerLm.create(TinyModels.config(48), TOK, 4);
    Dataset<TextExample> eval = Dataset.of("other", List.of(new TextExample("e", "completely different text")));
    SftConfig config = SftConfig.builder().batchSize(4).maxSteps(400).learningRate(2e-2).evalEvery(10)
        .patience(2).weightDecay(0).build();
    TrainingResult result = new SftTrainer(config).train(model, corpus(), eval);
    assertThat(result.stoppedEarly()).isTrue();
    assertThat(result.steps()).isLessThan(400);
    double best = result.evaluations().stream().mapToDouble(EvalMetrics::loss).min().orElseThrow();
    assertThat(result.bestEvalLoss()).isEqualTo(best);
    float[] lp = model.tokenLogProbs(List.of(prompt("completely different text"))).get(0);
    double nll = 0;
    for (float v : lp) {
      nll -= v;
    }
    int targets = lp.length + 1;
    assertThat(nll / lp.length).isLessThan(best * targets / lp.length + 0.5);
  }

  @Test
  void badInputGivesClearErrors() {
    TransformerLm model = TransformerLm.create(TinyModels.config(16), TOK, 5);
    assertThatThrownBy(() -> new SftTrainer(SftConfig.builder().build()).train(model, Dataset.of("empty", List.of())))
        .hasMessageContaining("data set empty is empty");
    assertThatThrownBy(() -> SftConfig.builder().learningRate(-1).build())
        .hasMessage("learningRate must be > 0, got -1.0");
    TrainingResult r = new SftTrainer(SftConfig.builder().maxSteps(1).build())
        .train(model, Dataset.of("long", List.of(new TextExample("l", "x".repeat(100)))));
    assertThat(r.truncatedExamples()).isEqualTo(1);
  }

  @Test
  void stopsAtTheFirstNonFiniteLossAndNamesTheStep() {
    TransformerLm model = TransformerLm.create(TinyModels.config(48), TOK, 1);
    SftConfig config = SftConfig.builder().batchSize(4).maxSteps(50).learningRate(1e9).warmupSteps(0)
        .seed(1).build();
    List<StepMetrics> seen = new java.util.ArrayList<>();
    TrainingListener record = new TrainingListener() {
      @Override
      public void onStep(StepMetrics m) {
        seen.add(m);
      }
    };
    assertThatThrownBy(() -> new SftTrainer(config, record).train(model, corpus()))
        .isInstanceOfSatisfying(TrainingDivergedException.class, e -> {
          assertThat(e.step()).isEqualTo(seen.size() + 1);
          assertThat(e.getMessage()).contains("diverged at step " + e.step(), "lower learning rate");
        });
    assertThat(seen).allSatisfy(m -> assertThat(m.loss()).isFinite());
    assertThat(seen.size()).isLessThan(50);
  }
}
