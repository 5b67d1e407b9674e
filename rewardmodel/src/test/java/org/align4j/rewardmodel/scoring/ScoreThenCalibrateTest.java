package org.align4j.rewardmodel.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.calibration.Calibration;
import org.align4j.rewardmodel.calibration.CalibrationMethod;
import org.align4j.rewardmodel.calibration.CalibrationSource;
import org.align4j.rewardmodel.calibration.Calibrator;
import org.align4j.rewardmodel.calibration.RewardPairs;
import org.align4j.rewardmodel.calibration.io.RewardFile;
import org.align4j.rewardmodel.calibration.io.RewardFiles;
import org.align4j.rewardmodel.eval.RewardEvaluation;
import org.align4j.rewardmodel.train.RewardTrainer;
import org.align4j.rewardmodel.train.RewardTrainerConfig;
import org.align4j.rewardmodel.train.SyntheticPreferences;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The length-bias removal of {@code LengthBiasTest}, through files: a reward model trained on better-and-longer
 * pairs scores two length-balanced sets into reward files; RC-LWR fitted on the first file (and naming the reward
 * model and the length unit) and applied in the loop to the second set removes the correlation of reward with
 * length and raises the accuracy.
 */
class ScoreThenCalibrateTest {

  static final TransformerConfig CONFIG = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
      .contextLength(24).dModel(16).heads(2).layers(1).mlpRatio(2).build();

  @TempDir static Path dir;
  private static NamedRewardModel biased;

  @BeforeAll
  static void trainOnBetterAndLongerPairs() {
    TransformerRewardModel model = TransformerRewardModel.create(CONFIG, ByteTokenizer.INSTANCE, 3);
    RewardTrainerConfig config = RewardTrainerConfig.builder().batchSize(16).maxSteps(30).learningRate(2e-2)
        .warmupSteps(4).seed(5).build();
    new RewardTrainer(config).train(model, SyntheticPreferences.betterAndLonger(256, 0.6, 3));
    biased = NamedRewardModel.of("biased", model);
  }

  private static Path scoreFile(String name, List<PreferencePair> pairs, LengthUnit unit) {
    Path file = dir.resolve(name);
    ScoreFiles.writePairs(file, RewardScorer.scorePairs(biased, pairs, "test"), unit);
    return file;
  }

  private static RewardEvaluation evaluate(RewardPairs p) {
    return RewardEvaluation.of(p.chosenReward(), p.rejectedReward(), null, p.chosenFeature(), p.rejectedFeature());
  }

  @Test
  void scoredFilesCalibrateAwayTheLengthBias() throws Exception {
    Path fitFile = scoreFile("fit.jsonl", SyntheticPreferences.lengthBalanced(200, 101).toList(), LengthUnit.TOKENS);
    RewardFile fit = RewardFiles.readFile(fitFile, null);
    assertThat(fit.rm()).isEqualTo("biased");
    assertThat(fit.rmId()).isEqualTo(biased.id()).startsWith("sha256:");
    assertThat(fit.lengthUnit()).isEqualTo("tokens");
    JsonNode first = new ObjectMapper().readTree(Files.readAllLines(fitFile).get(0));
    PreferencePair p0 = SyntheticPreferences.lengthBalanced(200, 101).toList().get(0);
    assertThat(first.get("chosen_chars").asInt()).isEqualTo(p0.chosen().length());
    assertThat(first.get("chosen_text_length").asInt()).isEqualTo(p0.prompt().length() + p0.chosen().length());
    // scored in a batch of the file's pairs, alone here: the same up to float rounding
    assertThat(first.get("chosen_reward").asDouble())
        .isCloseTo(biased.model().score(p0.prompt(), p0.chosen()), within(1e-6));

    Calibration lwr = Calibrator.builder().method(CalibrationMethod.LWR).frac(0.3).build().fit(fit.pairs())
        .withSource(new CalibrationSource(fit.rm(), fit.rmId(), fit.lengthUnit()));
    Path saved = dir.resolve("cal.json");
    lwr.save(saved);
    Calibration loaded = Calibration.load(saved);
    assertThat(loaded).isEqualTo(lwr);
    assertThat(loaded.source()).isEqualTo(new CalibrationSource("biased", biased.id(), "tokens"));

    List<PreferencePair> test = SyntheticPreferences.lengthBalanced(200, 202).toList();
    RewardEvaluation raw = evaluate(RewardFiles.read(scoreFile("test.jsonl", test, LengthUnit.TOKENS), null));
    RewardModel calibrated = InLoopCalibration.apply(biased, loaded, LengthUnit.TOKENS, saved.toString());
    NamedRewardModel named = new NamedRewardModel("calibrated", "x", calibrated, ByteTokenizer.INSTANCE);
    ScoreFiles.writePairs(dir.resolve("after.jsonl"), RewardScorer.scorePairs(named, test, "test"),
        LengthUnit.TOKENS);
    RewardEvaluation after = evaluate(RewardFiles.read(dir.resolve("after.jsonl"), null));

    double before = raw.lengthCorrelation().orElseThrow();
    assertThat(before).isGreaterThan(0.5);
    assertThat(raw.accuracy()).isLessThan(0.75);
    assertThat(after.lengthCorrelation().orElseThrow()).isLessThan(before - 0.3);
    assertThat(Math.abs(after.lengthCorrelation().orElseThrow())).isLessThan(0.3);
    assertThat(after.accuracy()).isGreaterThan(raw.accuracy() + 0.1);
  }

  @Test
  void aCalibrationIsRefusedForAnotherModelOrUnitOrWithoutSource() {
    RewardPairs pairs = RewardScorer.scorePairs(biased, SyntheticPreferences.lengthBalanced(40, 7).toList(), "t")
        .stream().collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(),
            l -> RewardPairs.of(l.stream().mapToDouble(ScoredPair::chosenReward).toArray(),
                l.stream().mapToDouble(ScoredPair::rejectedReward).toArray(),
                l.stream().mapToDouble(s -> s.chosenLength().tokens()).toArray(),
                l.stream().mapToDouble(s -> s.rejectedLength().tokens()).toArray())));
    Calibration bare = Calibrator.builder().build().fit(pairs);
    assertThat(bare.source()).isEqualTo(CalibrationSource.UNKNOWN);
    assertThatThrownBy(() -> InLoopCalibration.apply(biased, bare, LengthUnit.TOKENS, "cal.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cal.json does not name the reward model");
    Calibration named = bare.withSource(new CalibrationSource("biased", biased.id(), "tokens"));
    NamedRewardModel other = NamedRewardModel.of("fresh",
        TransformerRewardModel.create(CONFIG, ByteTokenizer.INSTANCE, 4));
    assertThat(other.id()).isNotEqualTo(biased.id());
    assertThatThrownBy(() -> InLoopCalibration.apply(other, named, LengthUnit.TOKENS, "cal.json"))
        .hasMessageContaining("cal.json was fitted on reward model biased").hasMessageContaining("not on fresh");
    assertThatThrownBy(() -> InLoopCalibration.apply(biased, named, LengthUnit.CHARS, "cal.json"))
        .hasMessageContaining("fitted on lengths in tokens, not in chars");
    assertThatThrownBy(() -> InLoopCalibration.unitOf(bare.withSource(new CalibrationSource("b", biased.id(), "words")), "cal.json"))
        .hasMessageContaining("cal.json: length unit must be tokens or chars, got words");
  }

  @Test
  void theFingerprintSurvivesSaveAndLoad() {
    Path path = dir.resolve("rm.zip");
    ((TransformerRewardModel) biased.model()).save(path);
    assertThat(RewardModelFingerprint.of(TransformerRewardModel.load(path))).isEqualTo(biased.id());
  }

  @Test
  void aNonFiniteRewardNamesTheModelAndThePair() {
    NamedRewardModel nan = new NamedRewardModel("broken", "id", (prompts, responses) ->
        responses.stream().mapToDouble(r -> r.length() > 5 ? Double.NaN : 1).toArray(), ByteTokenizer.INSTANCE);
    List<PreferencePair> pairs = List.of(new PreferencePair("a", "p", "ok", "bad"),
        new PreferencePair("b", "p", "much too long", "x"));
    assertThatThrownBy(() -> RewardScorer.scorePairs(nan, pairs, "pairs.jsonl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reward model broken returned NaN for the chosen response of pair 2 (id b) of pairs.jsonl; "
            + "rewards must be finite");
    assertThatThrownBy(() -> ScoreFiles.writePairs(dir.resolve("x.csv"), List.of(), LengthUnit.TOKENS))
        .hasMessageContaining("must end in .jsonl");
  }
}
