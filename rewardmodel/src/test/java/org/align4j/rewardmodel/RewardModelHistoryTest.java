package org.align4j.rewardmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.align4j.core.checkpoint.CheckpointException;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.train.SftConfig;
import org.align4j.core.train.SftTrainer;
import org.align4j.rewardmodel.train.RewardTrainer;
import org.align4j.rewardmodel.train.RewardTrainerConfig;
import org.align4j.rewardmodel.train.SyntheticPreferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reward model carries its backbone's history, appends its own stage, and its checkpoint guards every file. */
class RewardModelHistoryTest {

  @TempDir Path dir;

  @Test
  void theRewardStageIsAppendedToTheLanguageModelsHistoryAndSaved() {
    Dataset<TextExample> corpus = Dataset.of("lines", List.of(new TextExample("a", "abc abc"),
        new TextExample("b", "xyz xyz")));
    TransformerLm lm = new SftTrainer(SftConfig.builder().batchSize(2).maxSteps(2).seed(3).build())
        .train(TinyModels.perturbed(24, 1, 0.05), corpus).model();
    Dataset<PreferencePair> pairs = SyntheticPreferences.lengthBalanced(8, 4);
    RewardTrainerConfig config = RewardTrainerConfig.builder().batchSize(4).maxSteps(2).seed(9).build();
    TransformerRewardModel rm = new RewardTrainer(config)
        .train(TransformerRewardModel.fromLanguageModel(lm, 5), pairs).model();
    List<TrainingStage> history = rm.provenance().history();
    assertThat(history).extracting(TrainingStage::kind).containsExactly("sft", "reward");
    assertThat(history.get(0).dataFingerprint()).isEqualTo(DataFingerprint.ofTexts(corpus));
    assertThat(history.get(1).dataFingerprint()).isEqualTo(DataFingerprint.ofPairs(pairs));
    assertThat(history.get(1).dataName()).isEqualTo(pairs.name());
    assertThat(history.get(1).steps()).isEqualTo(2);
    assertThat(history.get(1).seed()).isEqualTo(9);
    assertThat(history.get(1).settings()).containsEntry("batchSize", "4").containsEntry("maxSteps", "2");
    for (Path path : List.of(dir.resolve("rm"), dir.resolve("rm.zip"))) {
      rm.save(path);
      assertThat(TransformerRewardModel.load(path).provenance()).isEqualTo(rm.provenance());
    }
  }

  @Test
  void editingTheHeadOrTheBackboneIsDetected() throws IOException {
    Path path = dir.resolve("rm");
    TransformerRewardModel.fromLanguageModel(TinyModels.perturbed(24, 2, 0.05), 5).save(path);
    Path head = path.resolve("reward_model.json");
    String good = Files.readString(head);
    Files.writeString(head, good.replace("\"bias\" : 0.0", "\"bias\" : 1.0"));
    assertThatThrownBy(() -> TransformerRewardModel.load(path)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("reward_model.json is corrupt or truncated, or was edited");
    Files.writeString(head, good);
    Path model = path.resolve("lm").resolve("model.json");
    Files.writeString(model, Files.readString(model).replace("\"heads\" : 2", "\"heads\" : 1"));
    assertThatThrownBy(() -> TransformerRewardModel.load(path)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model.json is corrupt or truncated, or was edited");
  }

  @Test
  void aVersionOneRewardModelStillLoadsWithAOneStageHistory() throws IOException {
    Path zip = dir.resolve("rm-v1.zip");
    try (InputStream in = getClass().getResourceAsStream("/checkpoints/rm-v1.zip")) {
      Files.copy(in, zip);
    }
    Path directory = dir.resolve("rm-v1-dir");
    Files.createDirectories(directory.resolve("lm"));
    for (String file : List.of("reward_model.json", "lm/model.json", "lm/provenance.json", "lm/tokenizer.json",
        "lm/weights.bin")) {
      try (InputStream in = getClass().getResourceAsStream("/checkpoints/rm-v1-dir/" + file)) {
        Files.copy(in, directory.resolve(file));
      }
    }
    for (Path path : List.of(zip, directory)) {
      TransformerRewardModel rm = TransformerRewardModel.load(path);
      assertThat(rm.provenance().kind()).isEqualTo("TransformerRewardModel");
      assertThat(rm.provenance().history()).singleElement().satisfies(s -> {
        assertThat(s.kind()).isEqualTo("legacy");
        assertThat(s.dataName()).isEqualTo("tiny-lines");
        assertThat(s.steps()).isEqualTo(3);
      });
      assertThat(rm.score("p", "r")).isFinite();
    }
  }
}
