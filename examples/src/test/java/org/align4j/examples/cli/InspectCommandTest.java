package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.privacy.RdpAccountant;
import org.align4j.core.train.SftConfig;
import org.align4j.core.train.SftTrainer;
import org.align4j.optimizers.dpo.DpoConfig;
import org.align4j.optimizers.dpo.DpoTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code align4j inspect}: a model trained by SFT, two private SFT stages on one corpus and DPO shows every stage
 * with its fingerprint, and the total epsilon equals the RDP composition of the two private stages done by hand.
 */
class InspectCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Dataset<TextExample> PUBLIC = corpus("public", "abab", 8);
  private static final Dataset<TextExample> PRIVATE = corpus("private", "xyxy", 16);
  private static final Dataset<PreferencePair> PAIRS = Dataset.of("pairs", List.of(
      new PreferencePair("p1", "q", "ab", "xy"), new PreferencePair("p2", "r", "ba", "yx")));

  @TempDir static Path dir;
  private static TransformerLm model;

  private static Dataset<TextExample> corpus(String name, String text, int n) {
    List<TextExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new TextExample(name + i, text));
    }
    return Dataset.of(name, out);
  }

  private static SftTrainer dp(double sigma, long steps, long seed) {
    PrivacySettings privacy = PrivacySettings.builder().noiseMultiplier(sigma).expectedBatchSize(4).delta(1e-3)
        .physicalBatchSize(4).build();
    return new SftTrainer(
        SftConfig.builder().maxSteps(steps).learningRate(1e-2).privacy(privacy).seed(seed).build());
  }

  @BeforeAll
  static void trainFourStages() {
    TransformerLm lm = new SftTrainer(SftConfig.builder().batchSize(4).maxSteps(2).seed(1).build())
        .train(TinyModels.perturbed(12, 1, 0.05), PUBLIC).model();
    lm = dp(1.0, 3, 2).train(lm, PRIVATE).model();
    lm = dp(0.8, 2, 3).train(lm, PRIVATE).model();
    model = new DpoTrainer(DpoConfig.builder().batchSize(2).maxSteps(1).seed(4).build())
        .train(lm, lm.copy(), PAIRS, null).model();
    Checkpoints.save(model, dir.resolve("ckpt"));
  }

  /** Two RDP curves of the subsampled Gaussian added at each order, converted (Balle et al. 2020) by hand. */
  private static double byHand(double delta, double q) {
    double best = Double.POSITIVE_INFINITY;
    for (double a : RdpAccountant.defaultOrders()) {
      double rdp = 3 * RdpAccountant.rdp(1.0, q, a) + 2 * RdpAccountant.rdp(0.8, q, a);
      best = Math.min(best, rdp + Math.log1p(-1 / a) - (Math.log(delta) + Math.log(a)) / (a - 1));
    }
    return Math.max(0, best);
  }

  @Test
  void jsonListsEveryStageAndTheComposedEpsilon() throws Exception {
    CliRun run = CliRun.of("inspect", dir.resolve("ckpt").toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode root = JSON.readTree(run.out());
    JsonNode history = root.path("history");
    assertThat(history).hasSize(4);
    assertThat(history.findValuesAsText("kind")).containsExactly("sft", "sft", "sft", "dpo");
    assertThat(history.findValuesAsText("data_fingerprint")).containsExactly(DataFingerprint.ofTexts(PUBLIC),
        DataFingerprint.ofTexts(PRIVATE), DataFingerprint.ofTexts(PRIVATE), DataFingerprint.ofPairs(PAIRS));
    assertThat(history.get(0).path("privacy").isNull()).isTrue();
    assertThat(history.get(3).path("privacy").isNull()).isTrue();
    JsonNode second = history.get(1).path("privacy");
    assertThat(second.path("noise_multiplier").asDouble()).isEqualTo(1.0);
    assertThat(second.path("sampling_rate").asDouble()).isEqualTo(0.25);
    assertThat(second.path("steps").asLong()).isEqualTo(3);
    assertThat(second.path("unit").asText()).isEqualTo("example");
    assertThat(history.get(2).path("settings").path("privacy.noiseMultiplier").asText()).isEqualTo("0.8");
    assertThat(root.path("configuration").path("dModel").asInt()).isEqualTo(16);
    double expected = byHand(1e-3, 0.25);
    assertThat(root.path("total_delta").asDouble()).isEqualTo(1e-3);
    assertThat(root.path("total_epsilon").asDouble()).isCloseTo(expected, within(1e-9 * expected));
    // sequential: the total exceeds each private stage's own epsilon
    assertThat(root.path("total_epsilon").asDouble()).isGreaterThan(second.path("epsilon").asDouble());
  }

  @Test
  void textSaysInfiniteOnceANonPrivateStageUsesThePrivateData() {
    TransformerLm exposed = new SftTrainer(SftConfig.builder().batchSize(4).maxSteps(1).seed(5).build())
        .train(model.copy(), PRIVATE).model();
    Path path = dir.resolve("exposed.zip");
    Checkpoints.save(exposed, path);
    CliRun run = CliRun.of("inspect", path.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("5. sft on private").contains(DataFingerprint.ofTexts(PRIVATE))
        .contains("total epsilon    infinite (stage 5:sft trained without privacy on data a private stage used)");
  }

  @Test
  void anEditedCheckpointIsRefusedWithExitTwo() throws Exception {
    Path path = dir.resolve("edited");
    Checkpoints.save(model, path);
    Path provenance = path.resolve("provenance.json");
    Files.writeString(provenance, Files.readString(provenance).replace("\"noiseMultiplier\" : 1.0",
        "\"noiseMultiplier\" : 9.0"));
    CliRun run = CliRun.of("inspect", path.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: checkpoint " + path + ": provenance.json is corrupt or truncated,"
        + " or was edited after saving (its SHA-256 differs from the one in checksums.json)");
    assertThat(CliRun.of("inspect", dir.resolve("missing").toString()).exitCode()).isEqualTo(2);
  }
}
