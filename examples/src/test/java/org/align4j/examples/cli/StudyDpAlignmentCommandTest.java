package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.align4j.core.privacy.RdpAccountant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code study dp-alignment} at a setting far smaller than {@code --quick}: every stage spends at most its target,
 * the ledger's total is the parallel composition of the stages (recomputed here from each stage's sigma, q and
 * steps with a fresh accountant), the non-private pipeline and any non-private stage make the total infinite, the
 * outputs have their structure, and bad input ends with exit code 2 and one line before anything is trained.
 */
class StudyDpAlignmentCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** The tiny protocol's arguments, with {@code more} (option and value pairs, or flags) replacing or adding. */
  private static String[] tiny(Path out, String... more) {
    String[] base = {"--split-size", "8", "--max-duplicates", "2", "--context", "24", "--d-model", "16", "--layers",
        "1", "--prefix-tokens", "8", "--suffix-tokens", "8", "--sft-epochs", "1", "--sft-batch", "4", "--rm-epochs",
        "1", "--rm-batch", "4", "--ppo-steps", "1", "--ppo-batch", "2", "--canary-digits", "2", "--threads", "1",
        "--seed", "3", "--output", out.toString()};
    return StudyArgs.of("dp-alignment", base, Set.of("--json", "--strict", "--overwrite"), more);
  }

  @Test
  void eachStageSpendsAtMostItsTargetAndTheLedgerComposesThemInParallel() throws IOException {
    Path out = dir.resolve("study");
    CliRun run = CliRun.of(tiny(out, "--epsilons", "1.5,inf", "--json"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip().lines()).hasSize(1);
    JsonNode study = JSON.readTree(run.out());
    assertThat(study.get("study").asText()).isEqualTo("dp-alignment");
    assertThat(study.get("composition").asText()).contains("parallel");
    assertThat(study.get("bounds").asText()).contains("upper bound").contains("lower bound");
    JsonNode rows = study.get("rows");
    assertThat(rows).hasSize(2);

    JsonNode priv = rows.get(0);
    assertThat(priv.get("target_epsilon").asDouble()).isEqualTo(1.5);
    List<String> stages = new ArrayList<>();
    double composed = 0;
    double delta = priv.get("total_delta").asDouble();
    for (JsonNode s : priv.get("stages")) {
      stages.add(s.get("stage").asText());
      assertThat(s.get("epsilon").isNumber()).as(s.toString()).isTrue();
      assertThat(s.get("epsilon").asDouble()).isPositive().isLessThanOrEqualTo(1.5);
      assertThat(s.get("delta").asDouble()).isEqualTo(1e-5);
      assertThat(s.get("noise_multiplier").asDouble()).isPositive();
      assertThat(s.get("steps").asLong()).isPositive();
      assertThat(s.get("sampling_rate").asDouble()).isGreaterThan(0).isLessThanOrEqualTo(1);
      assertThat(s.get("sampling_rate").asDouble() * s.get("records").asInt()).isCloseTo(
          s.get("stage").asText().equals("ppo") ? 2 : 4, within(1e-9));
      double alone = new RdpAccountant().add(s.get("noise_multiplier").asDouble(),
          s.get("sampling_rate").asDouble(), s.get("steps").asLong()).epsilon(delta);
      assertThat(s.get("epsilon").asDouble()).isCloseTo(alone, within(1e-9));
      composed = Math.max(composed, alone); // disjoint splits: parallel composition
    }
    assertThat(stages).containsExactly("sft", "reward", "ppo");
    assertThat(delta).isEqualTo(1e-5);
    assertThat(priv.get("total_epsilon").asDouble()).isCloseTo(composed, within(1e-9));
    assertThat(priv.get("ledger_epsilon").asDouble()).isEqualTo(priv.get("total_epsilon").asDouble());
    assertThat(priv.get("non_private_stages")).isEmpty();

    JsonNode open = rows.get(1);
    assertThat(open.get("target_epsilon").asText()).isEqualTo("inf");
    assertThat(open.get("total_epsilon").asText()).isEqualTo("inf");
    assertThat(open.get("ledger_epsilon").asText()).isEqualTo("inf");
    for (JsonNode s : open.get("stages")) {
      assertThat(s.get("epsilon").asText()).isEqualTo("inf");
      assertThat(s.get("noise_multiplier").asDouble()).isZero();
    }
    assertThat(JSON.convertValue(open.get("non_private_stages"), List.class))
        .containsExactly("sft", "reward", "ppo");

    for (JsonNode row : rows) {
      JsonNode u = row.get("utility");
      assertThat(u.get("sft_held_out_loss").asDouble()).isPositive().isFinite();
      assertThat(u.get("reward_held_out_accuracy").asDouble()).isBetween(0.0, 1.0);
      assertThat(u.get("ppo_kl").asDouble()).isFinite();
      assertThat(u.get("ppo_judge").asDouble()).isBetween(0.0, 1.0);
      assertThat(u.get("sft_judge").asDouble()).isBetween(0.0, 1.0);
      assertThat(row.get("audits")).hasSize(2);
      for (JsonNode a : row.get("audits")) {
        assertThat(a.get("memorized").get("trials").asLong()).isEqualTo(8);
        List<String> counts = new ArrayList<>();
        a.get("exposure_by_insertions").fieldNames().forEachRemaining(counts::add);
        assertThat(counts).containsExactly("0", "1", "4", "16");
        a.get("exposure_by_insertions").forEach(e -> assertThat(e.asDouble()).isBetween(0.0,
            a.get("max_exposure").asDouble() + 1e-9));
      }
    }
    List<String> timed = new ArrayList<>();
    study.get("timings").forEach(t -> timed.add(t.get("stage").asText()));
    assertThat(timed).contains("eps=1.5 sft", "eps=1.5 reward", "eps=1.5 ppo", "eps=inf audit");

    assertThat(JSON.readTree(out.resolve("study.json").toFile())).isEqualTo(study);
    String html = Files.readString(out.resolve("study.html"), StandardCharsets.UTF_8);
    assertThat(html).contains("Utility against epsilon").contains("Exposure against epsilon").contains("upper bound");
    assertThat(html.split("<svg", -1)).hasSize(4);
    // a second run without --overwrite refuses to replace the study's files
    CliRun again = CliRun.of(tiny(out, "--epsilons", "1.5"));
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("--overwrite");
  }

  @Test
  void aNonPrivateStageMakesTheTotalInfiniteAndTheTableSaysSo() throws IOException {
    Path out = dir.resolve("open-reward");
    CliRun run = CliRun.of(tiny(out, "--epsilons", "4", "--non-private", "reward"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("== target epsilon 4")
        .contains("total (ledger, final policy's history): epsilon inf: stage reward trained without privacy")
        .doesNotContain("total (ledger, final policy's history): epsilon 4");
    assertThat(run.out().lines().filter(l -> l.startsWith("reward ")).findFirst().orElseThrow()).contains("inf");
    assertThat(run.out().lines().filter(l -> l.startsWith("sft ")).findFirst().orElseThrow()).doesNotContain("inf");
    JsonNode row = JSON.readTree(out.resolve("study.json").toFile()).get("rows").get(0);
    assertThat(row.get("total_epsilon").asText()).isEqualTo("inf");
    assertThat(JSON.convertValue(row.get("non_private_stages"), List.class)).containsExactly("reward");
    // the ledger still bounds the private stages' data: SFT and PPO, in parallel
    double sft = row.get("stages").get(0).get("epsilon").asDouble();
    double ppo = row.get("stages").get(2).get("epsilon").asDouble();
    assertThat(row.get("ledger_epsilon").asDouble()).isCloseTo(Math.max(sft, ppo), within(1e-12))
        .isLessThanOrEqualTo(4);
  }

  private void refused(String expected, String... options) {
    Path out = dir.resolve("refused");
    CliRun run = CliRun.of(tiny(out, options));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains(expected);
    assertThat(run.out()).isEmpty();
    assertThat(out).doesNotExist();
  }

  @Test
  void badInputIsRefusedBeforeTrainingNamingTheStageAndValue() {
    refused("--epsilons values must be > 0 (inf for the non-private run), got 0.0", "--epsilons", "0,1");
    refused("--epsilons values must be > 0", "--epsilons", "-2");
    refused("--epsilons: 'abc' is not a number or inf", "--epsilons", "abc");
    refused("stage sft: --sft-batch 1000 is larger than its", "--sft-batch", "1000");
    refused("stage ppo: --ppo-batch 500 is larger than its", "--ppo-batch", "500");
    refused("--epsilons 0.0001 is too small for stage sft", "--epsilons", "0.0001");
    refused("stage sft: --delta 0.5 is at least 1/N", "--delta", "0.5", "--strict");
    refused("--non-private must name sft, reward or ppo, got rm", "--non-private", "rm");
  }
}
