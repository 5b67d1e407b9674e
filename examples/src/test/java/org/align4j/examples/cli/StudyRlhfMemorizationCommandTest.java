package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.align4j.memorization.stages.StageAuditResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyRlhfMemorizationCommandTest {

  /** A protocol far smaller than --quick: tiny models, one step or epoch per stage. */
  private static final String[] TINY = {"--split-size", "6", "--max-duplicates", "2", "--context", "24",
      "--d-model", "16", "--layers", "1", "--prefix-tokens", "8", "--suffix-tokens", "8", "--sft-epochs", "1",
      "--ppo-iterations", "1", "--ipo-epochs", "1", "--kl-coef", "0.1,1", "--threads", "1", "--seed", "3"};

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** The tiny protocol's arguments with {@code overrides} (option, value pairs) replacing or adding, and flags. */
  private static String[] tiny(String... overrides) {
    return StudyArgs.of("rlhf-memorization", TINY, Set.of("--json", "--resume"), overrides);
  }

  @Test
  void tinyStudyReportsEveryModelOnEverySplitWithTransitionsThatAddUpAndResumes() throws IOException {
    Path out = dir.resolve("study");
    CliRun run = CliRun.of(tiny("--output", out.toString(), "--json"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode study = JSON.readTree(run.out());
    assertThat(run.out().strip().lines()).hasSize(1);
    JsonNode audit = study.get("audit");
    List<String> stages = JSON.convertValue(audit.get("stages"), List.class);
    assertThat(stages).containsExactly("sft", "ppo-kl0.1", "ppo-kl1", "ipo", "direct-ft", "control");
    assertThat(JSON.convertValue(audit.get("splits"), List.class)).containsExactly("sft", "rm", "rl", "held-out");
    assertThat(audit.get("cells")).hasSize(6 * 4);
    for (JsonNode cell : audit.get("cells")) {
      assertThat(cell.get("examples").asLong()).isEqualTo(6);
      assertThat(cell.get("counterfactual").get("trials").asLong()).isEqualTo(6);
    }
    // sft -> each of ppo-kl0.1, ppo-kl1, ipo, direct-ft, on each split; the four counts partition the split.
    assertThat(audit.get("transitions")).hasSize(4 * 4);
    for (JsonNode t : audit.get("transitions")) {
      assertThat(t.get("from").asText()).isEqualTo("sft");
      long sum = t.get("both").asLong() + t.get("onlyBefore").asLong() + t.get("onlyAfter").asLong()
          + t.get("neither").asLong();
      assertThat(sum).isEqualTo(audit.get("splitSizes").get(t.get("split").asText()).asLong()).isEqualTo(6);
      assertThat(t.get("retention").get("trials").asLong())
          .isEqualTo(t.get("both").asLong() + t.get("onlyBefore").asLong());
    }
    assertThat(study.get("findings")).hasSize(3);
    List<String> ids = new ArrayList<>();
    for (JsonNode f : study.get("findings")) {
      ids.add(f.get("id").asText());
      assertThat(f.get("verdict").asText()).isIn("HELD", "CONTRADICTED", "INCONCLUSIVE");
      assertThat(f.get("evidence").asText()).contains("%", "[");
    }
    assertThat(ids).containsExactly("a", "b", "c");
    List<String> timed = new ArrayList<>();
    study.get("timings").forEach(t -> timed.add(t.get("stage").asText()));
    assertThat(timed).containsExactly("sft", "control", "reward", "ppo-kl0.1", "ppo-kl1", "ipo", "direct-ft",
        "audit");

    StageAuditResult written = StageAuditResult.fromJson(JSON.writeValueAsString(
        JSON.readTree(Files.readString(out.resolve("study.json"))).get("audit")));
    assertThat(written.toJson()).isEqualTo(StageAuditResult.fromJson(JSON.writeValueAsString(audit)).toJson());
    String html = Files.readString(out.resolve("study.html"), StandardCharsets.UTF_8);
    assertThat(html).contains("Memorization in RLHF and IPO", "(a) ", "(b) ", "(c) ", "sft &rarr; ppo-kl0.1");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList()).isEmpty();
    }

    // Same seed, same tables: a fresh run elsewhere, and a resumed run that loads every stage.
    CliRun again = CliRun.of(tiny("--output", dir.resolve("again").toString(), "--json"));
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(JSON.readTree(again.out()).get("audit")).isEqualTo(audit);
    CliRun resumed = CliRun.of(tiny("--output", out.toString(), "--resume"));
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("sft (resumed)", "direct-ft (resumed)", "(a) ", "(b) ", "(c) ");
    JsonNode resumedStudy = JSON.readTree(Files.readString(out.resolve("study.json")));
    assertThat(resumedStudy.get("audit")).isEqualTo(audit);

    CliRun otherSettings = CliRun.of(tiny("--output", out.toString(), "--resume", "--seed", "4"));
    assertThat(otherSettings.exitCode()).isEqualTo(2);
    assertThat(otherSettings.err()).contains("--resume").contains("other settings");
  }

  @Test
  void badInputNamesTheOptionAndExitsTwo() throws IOException {
    assertBad(tiny("--kl-coef", "0.1,-1"), "--kl-coef");
    assertBad(tiny("--prefix-tokens", "300", "--suffix-tokens", "300", "--context", "700"), "--prefix-tokens");
    assertBad(tiny("--split-size", "3"), "--split-size");
    assertBad(tiny("--context", "16"), "--context");
    Path data = dir.resolve("corpus.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      lines.append("{\"id\": \"e").append(i).append("\", \"text\": \"def f_").append(i % 29)
          .append("(x):\\n    return x * 12345 + 67890 # long enough\"}\n");
    }
    Files.writeString(data, lines.toString());
    assertBad(tiny("--data", data.toString()), "overlap");
    assertBad(tiny("--data", dir.resolve("missing.jsonl").toString()), "--data");
  }

  private static void assertBad(String[] args, String mention) {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains(mention);
  }
}
