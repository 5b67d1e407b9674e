package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.align4j.examples.study.LengthBiasPolicy;
import org.align4j.examples.study.LengthBiasReport;
import org.align4j.examples.study.LengthBiasResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code study length-bias} at a setting far smaller than {@code --quick}: every setting is present with its
 * invariants (win rates in [0, 1], the SFT model against itself exactly 0.5, positive lengths, Spearman in
 * [-1, 1]), the JSON reads back as it was written, the same seed gives the same figures, the page escapes data
 * text, and bad input ends with exit code 2 and one line naming the option before anything is trained.
 */
class StudyLengthBiasCommandTest {

  private static final List<String> POLICIES = List.of("sft", "ppo-raw", "ppo-calibrated", "dpo-raw",
      "dpo-calibrated");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static CliRun first;

  /** The tiny protocol's arguments, with {@code more} (option and value pairs, or flags) replacing or adding. */
  private static String[] tiny(Path out, String... more) {
    String[] base = {"--sft-examples", "32", "--rm-pairs", "16", "--calibration-pairs", "8", "--d-model", "8",
        "--layers", "1", "--sft-epochs", "1", "--rm-epochs", "1", "--response-tokens", "6", "--ppo-iterations", "2",
        "--ppo-batch", "2", "--ppo-epochs", "1", "--dpo-prompts", "4", "--dpo-samples", "2", "--dpo-epochs", "1",
        "--eval-prompts", "6", "--seed", "3", "--output-dir", out.toString()};
    return StudyArgs.of("length-bias", base, Set.of("--json", "--overwrite"), more);
  }

  @BeforeAll
  static void runTiny() {
    first = CliRun.of(tiny(dir.resolve("a <b>&"), "--json"));
  }

  @Test
  void everySettingIsReportedWithItsInvariants() throws IOException {
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out().strip().lines()).hasSize(1);
    LengthBiasResult r = LengthBiasReport.read(writeTo("stdout.json", first.out()));
    assertThat(r.study()).isEqualTo("length-bias");
    assertThat(r.policies()).extracting(LengthBiasPolicy::name).containsExactlyElementsOf(POLICIES);
    assertThat(r.rankingPolicies()).isEqualTo(POLICIES.size());
    for (LengthBiasPolicy p : r.policies()) {
      assertThat(p.winRate()).as(p.name()).isBetween(0.0, 1.0);
      assertThat(p.lcWinRate()).as(p.name()).isBetween(0.0, 1.0);
      assertThat(p.meanGold()).as(p.name()).isBetween(0.0, 1.0);
      assertThat(p.meanLength()).as(p.name()).isPositive();
      assertThat(p.lengthCurve()).as(p.name()).isNotEmpty().allSatisfy(v -> assertThat(v).isPositive());
    }
    LengthBiasPolicy sft = r.policy("sft");
    assertThat(sft.winRate()).isEqualTo(0.5);
    assertThat(sft.lcWinRate()).isEqualTo(0.5);
    assertThat(r.policy("ppo-raw").lengthCurve()).hasSize(2);
    assertThat(r.policy("ppo-raw").rewardCurve()).hasSize(2);
    assertThat(r.policy("ppo-calibrated").lengthCurve()).hasSize(2);
    assertThat(r.policy("dpo-raw").lengthCurve()).hasSize(2).first().isEqualTo(sft.meanLength());
    assertThat(r.policy("dpo-raw").pairs()).isBetween(1, 4);
    assertThat(r.policy("dpo-calibrated").pairs()).isBetween(1, 4);
    for (double s : new double[] {r.rawRankingSpearman(), r.calibratedRankingSpearman(),
        r.rewardModel().rawLengthSpearman(), r.rewardModel().calibratedLengthSpearman()}) {
      assertThat(Double.isNaN(s) || (s >= -1 && s <= 1)).as("spearman %s", s).isTrue();
    }
    assertThat(r.rewardModel().labelGoldAgreement()).isBetween(0.0, 1.0);
    assertThat(r.rewardModel().labelLongerChosen()).isBetween(0.5, 1.0);
    assertThat(r.rewardModel().calibrationPoints()).isEqualTo(16);
  }

  @Test
  void theJsonFileReadsBackAsWrittenAndThePageEscapesDataText() throws IOException {
    Path out = dir.resolve("a <b>&");
    LengthBiasResult stdout = LengthBiasReport.read(writeTo("stdout2.json", first.out()));
    LengthBiasResult file = LengthBiasReport.read(out.resolve("study.json"));
    assertThat(file).isEqualTo(stdout);
    assertThat(JSON.readTree(LengthBiasReport.toJson(file, true)))
        .isEqualTo(JSON.readTree(Files.readString(out.resolve("study.json"), StandardCharsets.UTF_8)));
    String html = Files.readString(out.resolve("study.html"), StandardCharsets.UTF_8);
    assertThat(html).contains("align4j length-bias study").contains("a &lt;b&gt;&amp;").doesNotContain("a <b>&");
    assertThat(html.split("<svg", -1)).hasSize(5);
    CliRun again = CliRun.of(tiny(out));
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err().strip().lines()).hasSize(1);
    assertThat(again.err()).contains("--overwrite");
  }

  @Test
  void theSameSeedGivesTheSameFigures() throws IOException {
    CliRun second = CliRun.of(tiny(dir.resolve("again"), "--json"));
    assertThat(second.exitCode()).as(second.err()).isZero();
    LengthBiasResult a = LengthBiasReport.read(writeTo("a.json", first.out()));
    LengthBiasResult b = LengthBiasReport.read(writeTo("b.json", second.out()));
    assertThat(b.rewardModel()).isEqualTo(a.rewardModel());
    assertThat(Double.valueOf(b.rawRankingSpearman())).isEqualTo(Double.valueOf(a.rawRankingSpearman()));
    assertThat(Double.valueOf(b.calibratedRankingSpearman()))
        .isEqualTo(Double.valueOf(a.calibratedRankingSpearman()));
    for (int i = 0; i < a.policies().size(); i++) {
      LengthBiasPolicy x = a.policies().get(i);
      LengthBiasPolicy y = b.policies().get(i);
      assertThat(new LengthBiasPolicy(y.name(), y.lengthCurve(), y.rewardCurve(), y.pairs(), y.meanLength(),
          y.meanGold(), y.meanRawReward(), y.meanCalibratedReward(), y.winRate(), y.lcWinRate(), y.lengthSlope(),
          x.seconds())).isEqualTo(x);
    }
  }

  @Test
  void badOptionsExitWithTwoAndOneLineNamingTheOption() {
    String[][] bad = {{"--length-bias", "1.5"}, {"--dpo-samples", "1"}, {"--d-model", "6"}, {"--kl-coef", "-1"},
        {"--ppo-iterations", "0"}, {"--eval-prompts", "1"}};
    for (String[] b : bad) {
      CliRun run = CliRun.of(tiny(dir.resolve("bad"), b));
      assertThat(run.exitCode()).as(String.join(" ", b)).isEqualTo(2);
      assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
      assertThat(run.err()).contains(b[0]).contains(b[1]);
    }
    assertThat(dir.resolve("bad")).doesNotExist();
  }

  @Test
  void refusesToReplaceAFileItDidNotWrite() throws IOException {
    Path out = dir.resolve("foreign");
    Files.createDirectories(out);
    Files.writeString(out.resolve("study.json"), "{\"mine\": true}");
    CliRun run = CliRun.of(tiny(out, "--overwrite"));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--output-dir");
    assertThat(Files.readString(out.resolve("study.json"))).isEqualTo("{\"mine\": true}");
  }

  private static Path writeTo(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
