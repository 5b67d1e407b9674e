package org.align4j.rewardmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.align4j.core.checkpoint.CheckpointException;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Encoding, scoring, initialisation and checkpoints of {@link TransformerRewardModel} (no training). */
class TransformerRewardModelTest {

  private static final int CONTEXT = 24;
  private static final ByteTokenizer TOK = ByteTokenizer.INSTANCE;

  @TempDir Path dir;

  /** A tiny model with every weight perturbed and a head large enough for rewards of order one. */
  static TransformerRewardModel model(long seed) {
    TransformerLm lm = TinyModels.perturbed(CONTEXT, seed, 0.05);
    SplittableRandom random = new SplittableRandom(seed);
    float[] w = new float[lm.config().dModel()];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * 0.5);
    }
    return TransformerRewardModel.of(lm, Nd4j.create(w, new long[] {w.length, 1}, 'c'),
        Nd4j.createFromArray(0.25f));
  }

  private static List<String> prompts(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("q" + i + ":");
    }
    return out;
  }

  private static List<String> responses(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("abcdefghijklmnop".substring(0, 1 + i % 16) + (i % 3 == 0 ? "!" : "."));
    }
    return out;
  }

  @Test
  void encodesBosPromptResponseEos() {
    int[] tokens = model(1).encode("hi:", "yo");
    assertThat(tokens).containsExactly(TOK.bosId(), 'h', 'i', ':', 'y', 'o', TOK.eosId());
  }

  @Test
  void cutsTheOldestPromptTokensWhenTooLong() {
    TransformerRewardModel m = model(2);
    String prompt = "0123456789abcdefghijklmnopqrstuvwxyz";
    String response = "response!!";
    int[] tokens = m.encode(prompt, response);
    assertThat(tokens).hasSize(CONTEXT);
    String keptPrompt = prompt.substring(prompt.length() - (CONTEXT - 2 - response.length()));
    assertThat(tokens).containsExactly(m.encode(keptPrompt, response));
    assertThat(m.score(prompt, response)).isEqualTo(m.score(keptPrompt, response));
    assertThat(m.encode("", "x")).containsExactly(TOK.bosId(), 'x', TOK.eosId());
  }

  @Test
  void rejectsAResponseThatDoesNotFitByItself() {
    TransformerRewardModel m = model(3);
    assertThat(m.encode("", "r".repeat(CONTEXT - 2))).hasSize(CONTEXT);
    assertThatThrownBy(() -> m.score("p", "r".repeat(CONTEXT - 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("response of 23 tokens does not fit the context of 24 tokens (with BOS and EOS)");
  }

  @Test
  void rewardIsTheHeadOverTheLastHiddenState() {
    TransformerRewardModel m = model(4);
    List<String> p = prompts(5);
    List<String> r = responses(5);
    double[] scores = m.score(p, r);
    float[] w = m.headWeight().reshape(-1).toFloatVector();
    for (int i = 0; i < 5; i++) {
      INDArray h = m.backbone().lastHiddenStates(List.of(m.encode(p.get(i), r.get(i))));
      double expected = m.headBias().getDouble(0);
      for (int j = 0; j < w.length; j++) {
        expected += h.getDouble(0, j) * w[j];
      }
      assertThat(scores[i]).isCloseTo(expected, within(1e-5));
      assertThat(Double.isFinite(scores[i])).isTrue();
    }
    assertThat(m.score(p.get(0), r.get(0))).isCloseTo(scores[0], within(1e-6));
  }

  @Test
  void batchedScoresEqualOneByOneAcrossPaddingAndBatches() {
    TransformerRewardModel m = model(5);
    int n = 20;
    double[] batched = m.score(prompts(n), responses(n));
    for (int i : new int[] {0, 1, 14, 15, 16, 19}) {
      assertThat(batched[i]).as("pair %d", i)
          .isCloseTo(m.score(prompts(n).get(i), responses(n).get(i)), within(1e-5));
    }
    assertThat(batched[0]).isNotEqualTo(batched[1]);
  }

  @Test
  void rejectsMismatchedListsAndAcceptsEmptyOnes() {
    TransformerRewardModel m = model(6);
    assertThatThrownBy(() -> m.score(List.of("a", "b"), List.of("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prompts has 2 entries but responses has 1");
    assertThat(m.score(List.of(), List.of())).isEmpty();
  }

  @Test
  void initialisesFromALanguageModelWithoutChangingIt() {
    TransformerLm lm = TinyModels.perturbed(CONTEXT, 7, 0.05);
    float[] before = lm.weights().get("tok_emb").reshape(-1).toFloatVector();
    TransformerRewardModel a = TransformerRewardModel.fromLanguageModel(lm, 11);
    TransformerRewardModel b = TransformerRewardModel.fromLanguageModel(lm, 11);
    TransformerRewardModel c = TransformerRewardModel.fromLanguageModel(lm, 12);
    assertThat(a.backbone().weights().get("tok_emb").reshape(-1).toFloatVector()).containsExactly(before);
    assertThat(a.headWeight().shape()).containsExactly(16, 1);
    assertThat(a.headBias().getDouble(0)).isZero();
    assertThat(a.headWeight().reshape(-1).toFloatVector()).containsExactly(b.headWeight().reshape(-1).toFloatVector());
    assertThat(a.headWeight().equals(c.headWeight())).isFalse();
    a.backbone().weights().get("tok_emb").addi(1.0);
    assertThat(lm.weights().get("tok_emb").reshape(-1).toFloatVector()).containsExactly(before);
    assertThat(a.provenance().kind()).isEqualTo("TransformerRewardModel");
    assertThat(a.provenance().configuration()).containsEntry("initialisedFrom", "TransformerLm");
    assertThat(a.provenance().seed()).isEqualTo(11);
  }

  @Test
  void freshModelsAreSeeded() {
    var config = TinyModels.config(CONTEXT);
    double[] a = TransformerRewardModel.create(config, TOK, 3).score(prompts(4), responses(4));
    double[] b = TransformerRewardModel.create(config, TOK, 3).score(prompts(4), responses(4));
    double[] c = TransformerRewardModel.create(config, TOK, 4).score(prompts(4), responses(4));
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void copiesAreIndependent() {
    TransformerRewardModel m = model(8);
    TransformerRewardModel copy = m.copy();
    double before = m.score("p", "r");
    copy.headBias().addi(1.0);
    copy.backbone().weights().get("lnf.b").addi(0.5);
    assertThat(m.score("p", "r")).isEqualTo(before);
    assertThat(copy.score("p", "r")).isNotEqualTo(before);
  }

  @Test
  void directoryAndZipRoundTripsGiveIdenticalScores() {
    TransformerRewardModel m = model(9);
    double[] want = m.score(prompts(6), responses(6));
    for (Path path : List.of(dir.resolve("rm"), dir.resolve("rm.zip"))) {
      m.save(path);
      TransformerRewardModel loaded = TransformerRewardModel.load(path);
      assertThat(loaded.score(prompts(6), responses(6))).containsExactly(want);
      assertThat(loaded.provenance()).isEqualTo(m.provenance());
      assertThat(loaded.backbone().config()).isEqualTo(m.backbone().config());
    }
    assertThat(dir.resolve("rm").resolve("reward_model.json")).exists();
    assertThat(dir.resolve("rm").resolve("lm").resolve("weights.bin")).exists();
    TransformerRewardModel other = model(10);
    other.save(dir.resolve("rm"));
    assertThat(TransformerRewardModel.load(dir.resolve("rm")).score(prompts(6), responses(6)))
        .containsExactly(other.score(prompts(6), responses(6)));
  }

  @Test
  void foreignCorruptAndMissingCheckpointsGiveClearErrors() throws IOException {
    assertThatThrownBy(() -> TransformerRewardModel.load(dir.resolve("missing")))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("missing: does not exist");
    Path lmOnly = dir.resolve("lm-only");
    Checkpoints.save(TinyModels.perturbed(CONTEXT, 1, 0.05), lmOnly);
    assertThatThrownBy(() -> TransformerRewardModel.load(lmOnly))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("not an align4j reward-model checkpoint")
        .hasMessageContaining("language-model checkpoint");
    Path junk = dir.resolve("junk.zip");
    Files.write(junk, "this is not a zip".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> TransformerRewardModel.load(junk))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("not an align4j reward-model checkpoint");

    Path path = dir.resolve("rm");
    model(11).save(path);
    Path description = path.resolve("reward_model.json");
    String good = Files.readString(description);
    Files.writeString(description, "{not json");
    assertThatThrownBy(() -> TransformerRewardModel.load(path))
        .hasMessageContaining("reward_model.json is not valid JSON");
    Files.writeString(description, good.replace("\"version\" : 2", "\"version\" : 99"));
    assertThatThrownBy(() -> TransformerRewardModel.load(path))
        .hasMessageContaining("unsupported reward-model checkpoint version 99");
    Files.writeString(description, good.replace("\"dModel\" : 16", "\"dModel\" : 15"));
    assertThatThrownBy(() -> TransformerRewardModel.load(path)).hasMessageContaining("malformed head");
    Files.writeString(description, good);
    Path weights = path.resolve("lm").resolve("weights.bin");
    byte[] bytes = Files.readAllBytes(weights);
    Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> TransformerRewardModel.load(path)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("corrupt or truncated");

    Path zip = dir.resolve("rm.zip");
    model(12).save(zip);
    byte[] zipBytes = Files.readAllBytes(zip);
    Files.write(zip, java.util.Arrays.copyOf(zipBytes, zipBytes.length / 2));
    assertThatThrownBy(() -> TransformerRewardModel.load(zip)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(zip.toString());
  }

  @Test
  void rejectsAHeadOfTheWrongShape() {
    TransformerLm lm = TinyModels.perturbed(CONTEXT, 1, 0.05);
    assertThatThrownBy(() -> TransformerRewardModel.of(lm, Nd4j.zeros(8, 1), Nd4j.zeros(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs [16, 1]");
    assertThatThrownBy(() -> TransformerRewardModel.of(lm, Nd4j.zeros(16, 1), Nd4j.zeros(2)))
        .hasMessageContaining("head bias has 2 values");
  }
}
