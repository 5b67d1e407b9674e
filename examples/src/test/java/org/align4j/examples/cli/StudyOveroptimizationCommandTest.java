package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.align4j.examples.study.OveroptimizationCurve;
import org.align4j.examples.study.OveroptimizationPoint;
import org.align4j.examples.study.OveroptimizationReport;
import org.align4j.examples.study.OveroptimizationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code study overoptimization} at a setting far smaller than {@code --quick}: every reward setting has a PPO and
 * a best-of-n curve, best-of-n's KL is the closed form (non-negative, increasing in n), the peaks agree with the
 * curves, the JSON reads back to the same result, the same seed gives the same study, and bad input ends with exit
 * code 2 and one error line naming the option before anything is trained.
 */
class StudyOveroptimizationCommandTest {

  @TempDir Path dir;

  private static String[] tiny(Path out, String... more) {
    String[] base = {"--pair-counts", "8,16", "--ensemble-size", "2", "--ensemble-pairs", "8", "--best-of-n",
        "1,2,4", "--sft-examples", "8", "--prompt-tokens", "6", "--response-tokens", "6", "--d-model", "8",
        "--layers", "1", "--sft-epochs", "1", "--rm-epochs", "1", "--ppo-iterations", "2", "--ppo-batch", "2",
        "--eval-every", "1", "--eval-prompts", "2", "--seed", "3", "--output", out.toString()};
    return StudyArgs.of("overoptimization", base, Set.of("--json", "--overwrite"), more);
  }

  @Test
  void everySettingHasItsCurvesAndTheSameSeedGivesTheSameStudy() throws IOException {
    Path out = dir.resolve("study");
    CliRun run = CliRun.of(tiny(out, "--json"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip().lines()).hasSize(1);
    OveroptimizationResult r = OveroptimizationReport.fromJson(run.out(), "stdout");
    assertThat(OveroptimizationReport.toJson(r, false)).isEqualTo(run.out().strip());
    assertThat(OveroptimizationReport.fromJson(Files.readString(out.resolve("study.json")), "study.json"))
        .isEqualTo(r);
    assertThat(r.study()).isEqualTo("overoptimization");
    assertThat(r.gold()).contains("bigram");
    assertThat(r.proxies()).extracting(p -> p.name()).containsExactly("proxy-8", "proxy-16", "member-1");

    List<String> settings = List.of("proxy-8", "proxy-16", "ensemble-mean", "ensemble-worst",
        "ensemble-mean-minus-std");
    assertThat(r.curves()).hasSize(2 * settings.size());
    for (String s : settings) {
      OveroptimizationCurve bon = r.curve(s, "best-of-n");
      assertThat(bon.points()).extracting(OveroptimizationPoint::step).containsExactly(1, 2, 4);
      double previous = -1;
      for (OveroptimizationPoint p : bon.points()) {
        assertThat(p.kl()).isGreaterThanOrEqualTo(0).isGreaterThan(previous)
            .isCloseTo(Math.log(p.step()) - (p.step() - 1.0) / p.step(), within(1e-12));
        assertThat(p.sqrtKl()).isCloseTo(Math.sqrt(p.kl()), within(1e-12));
        previous = p.kl();
      }
      assertThat(bon.points().get(0).gold()).isCloseTo(r.sftGold(), within(1e-9));
      OveroptimizationCurve ppo = r.curve(s, "ppo");
      assertThat(ppo.points()).extracting(OveroptimizationPoint::step).containsExactly(0, 1, 2);
      assertThat(ppo.points().get(0).kl()).isCloseTo(0, within(1e-6));
      for (OveroptimizationCurve c : List.of(bon, ppo)) {
        double best = c.points().stream().mapToDouble(OveroptimizationPoint::gold).max().orElseThrow();
        assertThat(c.peak().gold()).isEqualTo(best);
        assertThat(c.peak().withinRange()).isEqualTo(c.points().get(c.points().size() - 1).gold() < best);
        c.points().forEach(p -> assertThat(Double.isFinite(p.proxy()) && Double.isFinite(p.gold())).isTrue());
      }
    }
    assertThat(r.findings()).anyMatch(f -> f.startsWith("ensemble-worst ppo against proxy-8"));
    String html = Files.readString(out.resolve("study.html"), StandardCharsets.UTF_8);
    assertThat(html).contains("align4j reward over-optimisation study").contains("<svg").contains("sqrt(KL)")
        .doesNotContain("<script");

    CliRun refused = CliRun.of(tiny(out, "--json"));
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("--overwrite");
    CliRun again = CliRun.of(tiny(out, "--json", "--overwrite"));
    assertThat(again.exitCode()).as(again.err()).isZero();
    OveroptimizationResult r2 = OveroptimizationReport.fromJson(again.out(), "stdout");
    assertThat(r2.curves()).isEqualTo(r.curves());
    assertThat(r2.proxies()).extracting(p -> p.heldOutAccuracy())
        .isEqualTo(r.proxies().stream().map(p -> p.heldOutAccuracy()).toList());
    assertThat(r2.findings()).isEqualTo(r.findings());
  }

  @Test
  void badInputEndsWithOneLineNamingTheOption() {
    Map<String[], String> cases = new LinkedHashMap<>();
    cases.put(new String[] {"--pair-counts", "16,8"}, "--pair-counts");
    cases.put(new String[] {"--pair-counts", "x"}, "--pair-counts");
    cases.put(new String[] {"--ensemble-pairs", "5"}, "--ensemble-pairs");
    cases.put(new String[] {"--ensemble-size", "1"}, "--ensemble-size");
    cases.put(new String[] {"--best-of-n", "0,2"}, "--best-of-n");
    cases.put(new String[] {"--ensemble-k", "-1"}, "--ensemble-k");
    cases.put(new String[] {"--d-model", "6"}, "--d-model");
    cases.put(new String[] {"--ppo-lr", "0"}, "--ppo-lr");
    cases.forEach((args, option) -> {
      CliRun run = CliRun.of(tiny(dir.resolve("bad"), args));
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      // one error line (a parse error adds picocli's usage hint, as for every command)
      List<String> errors = run.err().strip().lines().filter(l -> !l.startsWith("Try '")).toList();
      assertThat(errors).as(run.err()).hasSize(1);
      assertThat(errors.get(0)).startsWith("error: ").contains(option);
    });
    assertThat(dir.resolve("bad")).doesNotExist();
  }
}
