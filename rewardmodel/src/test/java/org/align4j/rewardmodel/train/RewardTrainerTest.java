package org.align4j.rewardmodel.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.EvalMetrics;
import org.align4j.core.train.ProgressBar;
import org.align4j.core.train.StepMetrics;
import org.align4j.core.train.TrainingListener;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.eval.Correlation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link RewardTrainer}: the SameDiff loss against the float64 {@link BradleyTerryLoss}, learning a pattern to
 * accuracy 1 on held-out pairs, listeners, seeds and bad input. One training run is shared by several tests.
 */
class RewardTrainerTest {

  /** One layer is enough to see the token before the EOS; small enough to train in seconds. */
  static final TransformerConfig CONFIG = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
      .contextLength(24).dModel(16).heads(2).layers(1).mlpRatio(2).build();
  private static final long STEPS = 30;

  private static TransformerRewardModel trained;
  private static RewardTrainingResult result;
  private static final Recorder RECORDER = new Recorder();
  private static final ByteArrayOutputStream BAR = new ByteArrayOutputStream();

  /** Records the events a trainer sends. */
  static final class Recorder implements TrainingListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void onStart(long totalSteps) {
      events.add("start " + totalSteps);
    }

    @Override
    public void onStep(StepMetrics m) {
      events.add("step " + m.step());
    }

    @Override
    public void onEvaluation(EvalMetrics m) {
      events.add("eval " + m.step());
    }

    @Override
    public void onEnd() {
      events.add("end");
    }
  }

  @BeforeAll
  static void trainOnThePattern() {
    trained = TransformerRewardModel.create(CONFIG, ByteTokenizer.INSTANCE, 3);
    RewardTrainerConfig config = RewardTrainerConfig.builder().batchSize(16).maxSteps(STEPS).learningRate(2e-2)
        .warmupSteps(4).evalEvery(15).seed(5).build();
    result = new RewardTrainer(config, RECORDER,
        new ProgressBar("rm", new PrintStream(BAR, true, StandardCharsets.UTF_8)))
        .train(trained, SyntheticPreferences.lengthBalanced(256, 3), SyntheticPreferences.lengthBalanced(64, 13));
  }

  @Test
  void learnsThePatternToAccuracyOneOnHeldOutPairs() {
    RewardEvalMetrics last = result.finalEvaluation().orElseThrow();
    assertThat(last.step()).isEqualTo(STEPS);
    assertThat(last.pairs()).isEqualTo(64);
    assertThat(last.accuracy()).isEqualTo(1.0);
    assertThat(last.metrics().margin()).isGreaterThan(1.0);
    assertThat(last.loss()).isLessThan(0.2);
    // The untrained model starts near ln 2 (rewards near 0) and the loss falls.
    assertThat(result.history().get(0).loss()).isCloseTo(Math.log(2), within(0.1));
    assertThat(result.finalLoss()).isLessThan(0.3);
    // The pattern is the ending, not the length: the rewards do not follow length.
    List<PreferencePair> test = SyntheticPreferences.lengthBalanced(40, 5).toList();
    List<String> prompts = new ArrayList<>();
    List<String> responses = new ArrayList<>();
    for (PreferencePair p : test) {
      prompts.add(p.prompt());
      responses.add(p.chosen());
      prompts.add(p.prompt());
      responses.add(p.rejected());
    }
    double[] rewards = trained.score(prompts, responses);
    double[] lengths = responses.stream().mapToDouble(String::length).toArray();
    assertThat(Math.abs(Correlation.spearman(rewards, lengths))).isLessThan(0.3);
  }

  @Test
  void reportsToListenersAndRecordsProvenance() {
    assertThat(RECORDER.events).startsWith("start 30", "step 1", "step 2");
    assertThat(RECORDER.events).containsSubsequence("step 15", "eval 15", "step 16", "step 30", "eval 30", "end");
    assertThat(RECORDER.events).endsWith("end");
    assertThat(RECORDER.events.stream().filter(e -> e.startsWith("step"))).hasSize((int) STEPS);
    assertThat(BAR.toString(StandardCharsets.UTF_8)).contains("step 30/30");
    assertThat(result.steps()).isEqualTo(STEPS);
    assertThat(result.history()).hasSize((int) STEPS);
    assertThat(result.evaluations()).extracting(RewardEvalMetrics::step).containsExactly(15L, 30L);
    assertThat(result.truncatedPairs()).isZero();
    assertThat(result.tokensPerSecond()).isPositive();
    assertThat(result.model().provenance().steps()).isEqualTo(STEPS);
    assertThat(result.model().provenance().dataName()).startsWith("synthetic-length-balanced");
    assertThat(result.model().provenance().dataSha256()).hasSize(64);
    assertThat(result.model().score("abc:", "xyz!")).isEqualTo(trained.score("abc:", "xyz!"));
    // evaluate() on the same held-out data reproduces the final evaluation (step 0 outside training).
    RewardEvalMetrics again = new RewardTrainer(RewardTrainerConfig.builder().build())
        .evaluate(trained, SyntheticPreferences.lengthBalanced(64, 13));
    assertThat(again.step()).isZero();
    assertThat(again.loss()).isCloseTo(result.finalEvaluation().orElseThrow().loss(), within(1e-12));
  }

  /** A perturbed model with a large head, so rewards are of order one and the loss terms are all non-trivial. */
  private static TransformerRewardModel perturbed(long seed) {
    TransformerLm lm = TinyModels.perturbed(24, seed, 0.05);
    SplittableRandom random = new SplittableRandom(seed);
    float[] w = new float[lm.config().dModel()];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * 0.5);
    }
    return TransformerRewardModel.of(lm, Nd4j.create(w, new long[] {w.length, 1}, 'c'), Nd4j.createFromArray(0.3f));
  }

  @Test
  void graphLossEqualsTheFloat64LossOfTheModelsOwnScores() {
    TransformerRewardModel model = perturbed(21);
    SplittableRandom random = new SplittableRandom(4);
    List<PreferencePair> pairs = new ArrayList<>();
    for (PreferencePair p : SyntheticPreferences.lengthBalanced(6, 9).toList()) {
      pairs.add(new PreferencePair(p.id(), p.prompt(), p.chosen(), p.rejected(), Optional.empty(),
          OptionalDouble.of(random.nextDouble() * 2 - 0.5)));
    }
    Dataset<PreferencePair> data = Dataset.of("pairs", pairs);
    double[] chosen = model.score(pairs.stream().map(PreferencePair::prompt).toList(),
        pairs.stream().map(PreferencePair::chosen).toList());
    double[] rejected = model.score(pairs.stream().map(PreferencePair::prompt).toList(),
        pairs.stream().map(PreferencePair::rejected).toList());
    double[] margins = pairs.stream().mapToDouble(p -> p.margin().getAsDouble()).toArray();
    for (double coefficient : new double[] {0.0, 0.25}) {
      for (boolean useMargins : new boolean[] {false, true}) {
        RewardTrainerConfig config = RewardTrainerConfig.builder().centerRewardsCoefficient(coefficient)
            .useMargins(useMargins).build();
        double expected = config.loss().loss(chosen, rejected, useMargins ? margins : null);
        double graph = new RewardTrainer(config).graphLoss(model, data);
        assertThat(graph).as("centring %s, margins %s", coefficient, useMargins).isCloseTo(expected, within(1e-5));
      }
    }
    double plain = RewardTrainerConfig.builder().useMargins(false).build().loss().loss(chosen, rejected, null);
    assertThat(plain).as("rewards differ enough for the check to mean something").isGreaterThan(0.05);
    assertThat(BradleyTerryLoss.withCentering(0.25).centerTerm(chosen, rejected)).isGreaterThan(0.01);
  }

  @Test
  void onlyTheCentringTermTrainsTheHeadBias() {
    Dataset<PreferencePair> data = Dataset.of("pairs", SyntheticPreferences.lengthBalanced(8, 3).toList());
    for (double coefficient : new double[] {0.0, 0.5}) {
      TransformerRewardModel model = perturbed(31);
      // a bias of 2 makes every r_c + r_r clearly positive
      model.headBias().assign(2.0);
      RewardTrainerConfig config = RewardTrainerConfig.builder().batchSize(4).maxSteps(3).learningRate(1e-2)
          .centerRewardsCoefficient(coefficient).seed(2).build();
      new RewardTrainer(config).train(model, data);
      if (coefficient == 0) {
        assertThat(model.headBias().getFloat(0)).isEqualTo(2f);
      } else {
        // centring pulls r_c + r_r towards 0 (three AdamW steps under warm-up and decay)
        assertThat(model.headBias().getFloat(0)).isBetween(2f - 3e-2f, 2f - 2e-3f);
      }
    }
  }

  @Test
  void sameSeedGivesTheSameWeightsLongPromptsAreCutAndCheckpointsLoad(@TempDir Path dir) {
    RewardTrainerConfig config = RewardTrainerConfig.builder().batchSize(4).maxSteps(2).learningRate(1e-2)
        .seed(5).checkpoints(dir, 1).build();
    List<PreferencePair> pairs = new ArrayList<>(SyntheticPreferences.lengthBalanced(11, 3).toList());
    pairs.add(new PreferencePair("long", "p".repeat(40), "good!", "bad."));
    Dataset<PreferencePair> data = Dataset.of("pairs", pairs);
    TransformerRewardModel a = TransformerRewardModel.create(CONFIG, ByteTokenizer.INSTANCE, 8);
    TransformerRewardModel b = TransformerRewardModel.create(CONFIG, ByteTokenizer.INSTANCE, 8);
    float[] initial = a.headWeight().reshape(-1).toFloatVector();
    RewardTrainingResult first = new RewardTrainer(config).train(a, data);
    new RewardTrainer(config).train(b, data);
    assertThat(first.truncatedPairs()).isEqualTo(1);
    assertThat(TransformerRewardModel.load(dir.resolve("step-2")).score("ab:", "cd!")).isEqualTo(a.score("ab:", "cd!"));
    assertThat(TransformerRewardModel.load(dir.resolve("step-1")).score("ab:", "cd!"))
        .isNotEqualTo(a.score("ab:", "cd!"));
    assertThat(a.headWeight().reshape(-1).toFloatVector()).isNotEqualTo(initial)
        .containsExactly(b.headWeight().reshape(-1).toFloatVector());
    for (String name : a.backbone().weights().asMap().keySet()) {
      assertThat(a.backbone().weights().get(name).reshape(-1).toFloatVector()).as(name)
          .containsExactly(b.backbone().weights().get(name).reshape(-1).toFloatVector());
    }
  }

  @Test
  void rejectsBadInputWithClearMessages() {
    RewardTrainer trainer = new RewardTrainer(RewardTrainerConfig.builder().build());
    TransformerRewardModel model = TransformerRewardModel.create(CONFIG, ByteTokenizer.INSTANCE, 1);
    assertThatThrownBy(() -> trainer.train(model, Dataset.of("nothing", List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data set nothing is empty: no preference pair to train on");
    Dataset<PreferencePair> four = SyntheticPreferences.lengthBalanced(4, 1);
    assertThatThrownBy(() -> trainer.train(model, four, Dataset.of("e", List.of())))
        .hasMessageContaining("data set e is empty");
    Dataset<PreferencePair> tooLong = Dataset.of("long", List.of(new PreferencePair("p7", "q", "x".repeat(30), "y")));
    assertThatThrownBy(() -> trainer.train(model, tooLong))
        .hasMessageStartingWith("pair p7 of long: response of 30 tokens does not fit the context of 24");
    assertThatThrownBy(() -> new PreferencePair("p1", "q", "a", "b", Optional.empty(), OptionalDouble.of(Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("margin must be finite, got NaN");
    assertThatThrownBy(() -> RewardTrainerConfig.builder().learningRate(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("learningRate must be > 0, got 0.0");
    assertThatThrownBy(() -> RewardTrainerConfig.builder().centerRewardsCoefficient(Double.NaN).build())
        .hasMessage("centerRewardsCoefficient must be >= 0, got NaN");
    assertThatThrownBy(() -> RewardTrainerConfig.builder().batchSize(0).build())
        .hasMessage("batchSize must be > 0, got 0");
    assertThatThrownBy(() -> RewardTrainerConfig.builder().minLearningRateRatio(1.5).build())
        .hasMessageContaining("minLearningRateRatio");
    assertThatThrownBy(() -> RewardTrainerConfig.builder().clipNorm(-1).build()).hasMessageContaining("clipNorm");
    assertThatThrownBy(() -> RewardTrainerConfig.builder().checkpoints(null, 5).build())
        .hasMessage("checkpointEvery is 5 but no checkpointDirectory is set");
  }
}
