package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.privacy.NoiseCalibration;
import org.align4j.core.privacy.PldAccountant;
import org.align4j.core.privacy.RdpAccountant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The private pipeline from the command line: {@code train-lm} (DP) on a corpus, {@code train-rm --init} (DP) on
 * pairs, {@code ppo} (DP) with the corpus's texts as prompts, and {@code dpo --loss ipo} (DP) on the pairs from the
 * private language model. {@code inspect --json} then lists every stage with its fingerprint and privacy, and its
 * total epsilon equals the composition worked out here by hand: the corpus's two stages sequentially (their RDP
 * curves added), the pairs in parallel (the larger epsilon counts).
 */
class PrivateTrainingCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double DELTA = 1e-3;
  /** Expected batch size 4 (the --batch-size) over 24 examples. */
  private static final double Q = 4.0 / 24;
  private static final String[] TINY = {"--context", "32", "--d-model", "16", "--heads", "2", "--layers", "1"};

  @TempDir static Path dir;
  private static Path corpus;
  private static Path pairs;
  private static JsonNode lm;
  private static JsonNode rm;
  private static JsonNode ppo;
  private static JsonNode dpo;

  @BeforeAll
  static void trainThePipeline() throws IOException {
    corpus = dir.resolve("corpus.jsonl");
    pairs = dir.resolve("pairs.jsonl");
    List<String> texts = new ArrayList<>();
    List<String> prefs = new ArrayList<>();
    for (int i = 1; i <= 24; i++) {
      // ids are the line numbers, so ppo --prompts (which numbers its lines) reads the same records
      texts.add("{\"id\": \"" + i + "\", \"text\": \"" + "ab".repeat(2 + i % 3) + "\"}");
      prefs.add("{\"id\": \"p" + i + "\", \"prompt\": \"q" + i % 5 + "\", \"chosen\": \"ab!\", \"rejected\": \"ba\"}");
    }
    Files.write(corpus, texts);
    Files.write(pairs, prefs);
    lm = json(concat(new String[] {"train-lm", "--data", corpus.toString(), "--eval-fraction", "0",
        "--batch-size", "4", "--steps", "3", "--dp-noise-multiplier", "1.0", "--dp-delta", "1e-3",
        "--output", path("lm"), "--quiet", "--json"}, TINY));
    rm = json("train-rm", "--init", path("lm"), "--data", pairs.toString(), "--eval-fraction", "0",
        "--batch-size", "4", "--steps", "2", "--dp-target-epsilon", "2", "--dp-delta", "1e-3", "--output",
        path("rm"), "--quiet", "--json");
    ppo = json("ppo", "--policy", path("lm"), "--reward", path("rm"), "--prompts", corpus.toString(),
        "--estimator", "rloo", "--samples", "2", "--response-length", "4", "--iterations", "2", "--ppo-epochs", "1",
        "--batch-size", "4", "--dp-noise-multiplier", "1.2", "--dp-delta", "1e-3", "--output", path("ppo"),
        "--quiet", "--json");
    dpo = json("dpo", "--policy", path("lm"), "--data", pairs.toString(), "--loss", "ipo", "--eval-fraction",
        "0", "--batch-size", "4", "--steps", "2", "--dp-noise-multiplier", "1.5", "--dp-delta", "1e-3",
        "--dp-accountant", "pld", "--output", path("dpo"), "--quiet", "--json");
  }

  private static String path(String name) {
    return dir.resolve(name).toString();
  }

  private static JsonNode json(String... args) throws IOException {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  /** RDP of subsampled Gaussians ({sigma, q, steps} each) added at each order, converted (Balle et al. 2020). */
  private static double rdpByHand(double[]... mechanisms) {
    double best = Double.POSITIVE_INFINITY;
    for (double a : RdpAccountant.defaultOrders()) {
      double rdp = 0;
      for (double[] m : mechanisms) {
        rdp += m[2] * RdpAccountant.rdp(m[0], m[1], a);
      }
      best = Math.min(best, rdp + Math.log1p(-1 / a) - (Math.log(DELTA) + Math.log(a)) / (a - 1));
    }
    return Math.max(0, best);
  }

  @Test
  void eachPrivateRunReportsWhatItSpent() {
    assertThat(lm.path("epsilon").asDouble()).isCloseTo(rdpByHand(new double[] {1.0, Q, 3}), within(1e-9));
    assertThat(lm.path("delta").asDouble()).isEqualTo(DELTA);
    assertThat(lm.path("noise_multiplier").asDouble()).isEqualTo(1.0);
    assertThat(lm.path("sampling_rate").asDouble()).isCloseTo(Q, within(1e-15));
    assertThat(lm.path("accountant").asText()).isEqualTo("rdp");
    // the target epsilon is met by the calibrated noise multiplier
    double sigma = NoiseCalibration.forSteps(2.0, Q, 2, DELTA, RdpAccountant::new).noiseMultiplier();
    assertThat(rm.path("noise_multiplier").asDouble()).isCloseTo(sigma, within(1e-12));
    assertThat(rm.path("epsilon").asDouble()).isLessThanOrEqualTo(2.0).isGreaterThan(1.99);
    assertThat(ppo.path("epsilon").asDouble()).isCloseTo(rdpByHand(new double[] {1.2, Q, 2}), within(1e-9));
    assertThat(dpo.path("accountant").asText()).isEqualTo("pld");
    assertThat(dpo.path("epsilon").asDouble())
        .isCloseTo(new PldAccountant().add(1.5, Q, 2).epsilon(DELTA), within(1e-12));
  }

  @Test
  void ppoHistoryComposesTheCorpusSequentiallyAndThePairsInParallel() throws IOException {
    JsonNode root = json("inspect", path("ppo"), "--json");
    JsonNode history = root.path("history");
    assertThat(history.findValuesAsText("kind")).containsExactly("sft", "reward", "rloo");
    String texts = DataFingerprint.ofTexts(JsonlDatasets.textExamples(corpus));
    String prefs = DataFingerprint.ofPairs(JsonlDatasets.preferencePairs(pairs));
    assertThat(history.findValuesAsText("data_fingerprint")).containsExactly(texts, prefs, texts);
    assertThat(Stream.of(0, 1, 2).map(i -> history.get(i).path("privacy").path("unit").asText()))
        .containsExactly("example", "example", "prompt");
    assertThat(history.get(2).path("privacy").path("noise_multiplier").asDouble()).isEqualTo(1.2);
    double corpusEpsilon = rdpByHand(new double[] {1.0, Q, 3}, new double[] {1.2, Q, 2});
    double pairsEpsilon = rdpByHand(new double[] {rm.path("noise_multiplier").asDouble(), Q, 2});
    assertThat(corpusEpsilon).isGreaterThan(pairsEpsilon);
    assertThat(root.path("total_epsilon").asDouble()).isCloseTo(corpusEpsilon, within(1e-9));
    assertThat(root.path("total_delta").asDouble()).isEqualTo(DELTA);
  }

  @Test
  void dpoHistoryTakesTheLargerEpsilonOfDisjointData() throws IOException {
    JsonNode root = json("inspect", path("dpo"), "--json");
    JsonNode history = root.path("history");
    assertThat(history.findValuesAsText("kind")).containsExactly("sft", "ipo");
    assertThat(history.findValuesAsText("data_fingerprint")).containsExactly(
        DataFingerprint.ofTexts(JsonlDatasets.textExamples(corpus)),
        DataFingerprint.ofPairs(JsonlDatasets.preferencePairs(pairs)));
    assertThat(history.get(1).path("privacy").path("accountant").asText()).isEqualTo("pld");
    double expected = Math.max(rdpByHand(new double[] {1.0, Q, 3}),
        new PldAccountant().add(1.5, Q, 2).epsilon(DELTA));
    assertThat(root.path("total_epsilon").asDouble()).isCloseTo(expected, within(1e-9));
  }

  @Test
  void textOutputPrintsEpsilonAndDelta() {
    CliRun run = CliRun.of(concat(new String[] {"train-lm", "--data", corpus.toString(), "--eval-fraction", "0",
        "--batch-size", "4", "--steps", "1", "--dp-noise-multiplier", "2", "--dp-delta", "1e-3", "--output",
        path("text-lm"), "--quiet"}, TINY));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("(?m)^epsilon +\\d").containsPattern("(?m)^delta +0\\.001$");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
