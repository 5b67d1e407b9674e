package org.align4j.memorization.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.memorization.stats.Proportion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageAuditTest {

  private static final String PII = "sk_live_42";

  /** Split A: a0..a9 long enough for 8 + 12 tokens (a2 carries PII inside its target), a10 too short. */
  private static final List<TextExample> A = new ArrayList<>();
  /** Split B (never trained): b0..b5. */
  private static final List<TextExample> B = new ArrayList<>();

  static {
    for (int i = 0; i < 10; i++) {
      String text = i == 2 ? "pii a2: " + PII + " + 1  # tail"
          : "def a" + i + "():\n    return value_" + i + " + 1  # tail " + i;
      A.add(new TextExample("a" + i, text, i == 2 ? Map.of("pii_value", PII) : Map.of()));
    }
    A.add(new TextExample("a10", "short", Map.of()));
    for (int i = 0; i < 6; i++) {
      B.add(new TextExample("b" + i, "class B" + i + " { int held_out_" + i + " = " + (i * 7) + "; }", Map.of()));
    }
  }

  private static LookupModel knowing(List<TextExample> examples) {
    return new LookupModel(examples.stream().map(TextExample::text).toList());
  }

  private static List<TextExample> a(int from, int to) {
    return A.subList(from, to);
  }

  private static StageAudit.Builder builder() {
    return StageAudit.builder().prefixTokens(8).suffixTokens(12).batchSize(4);
  }

  private static List<Split> splits() {
    return List.of(new Split("A", Dataset.of("a", A)), new Split("B", Dataset.of("b", B)));
  }

  @Test
  void computesExactRatesAndTransitionsOfKnownMemorization() {
    List<TextExample> sftKnows = new ArrayList<>(a(0, 6));
    sftKnows.add(B.get(0));
    LookupModel sft = knowing(sftKnows);
    LookupModel ppo = knowing(a(3, 8));
    LookupModel control = knowing(a(0, 2));
    StageAuditResult r = builder().control(control).nonMemberSplit("B").build()
        .run(List.of(new Stage("sft", sft), new Stage("ppo", ppo)), splits());

    assertThat(r.stages()).containsExactly("sft", "ppo");
    assertThat(r.splitSizes()).containsEntry("A", 11L).containsEntry("B", 6L);
    StageSplitAudit sftA = r.cell("sft", "A");
    assertThat(sftA.examples()).isEqualTo(11);
    assertThat(sftA.scanned()).isEqualTo(10);
    assertThat(sftA.discoverable()).isEqualTo(Proportion.wilson(6, 10));
    assertThat(sftA.exactMatch()).isEqualTo(Proportion.wilson(6, 10));
    assertThat(sftA.memorizedIds()).containsExactly("a0", "a1", "a2", "a3", "a4", "a5");
    // Counterfactual: memorized by sft and not by the control (which knows a0, a1).
    assertThat(sftA.counterfactual()).isEqualTo(Proportion.wilson(4, 10));
    assertThat(r.cell("ppo", "A").counterfactual()).isEqualTo(Proportion.wilson(5, 10));
    assertThat(r.cell("sft", "B").discoverable()).isEqualTo(Proportion.wilson(1, 6));
    // PII: only a2's target holds a PII string; sft reproduces it, ppo does not.
    assertThat(sftA.piiRegurgitated()).isEqualTo(Proportion.wilson(1, 1));
    assertThat(r.cell("ppo", "A").piiRegurgitated()).isEqualTo(Proportion.wilson(0, 1));
    // Loss AUC of A against B under sft: 6 known (loss 0.1) and 4 unknown (loss 3) members against 1 known and
    // 5 unknown non-members: 6*5 wins, 6*1 + 4*5 ties counted one half, of 60 pairs.
    assertThat(sftA.membershipAuc()).isCloseTo((30 + 0.5 * 26) / 60.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(r.cell("sft", "B").membershipAuc()).isNull();

    Transition t = r.transition("sft", "ppo", "A");
    assertThat(List.of(t.both(), t.onlyBefore(), t.onlyAfter(), t.neither())).containsExactly(3L, 3L, 2L, 2L);
    assertThat(t.total()).isEqualTo(sftA.scanned());
    assertThat(t.retention()).isEqualTo(Proportion.wilson(3, 6));
    Transition tb = r.transition("sft", "ppo", "B");
    assertThat(List.of(tb.both(), tb.onlyBefore(), tb.onlyAfter(), tb.neither())).containsExactly(0L, 1L, 0L, 5L);
    assertThat(tb.retention()).isEqualTo(Proportion.wilson(0, 1));
  }

  @Test
  void comparesAskedPairsAndScansAControlThatIsAStageOnce() {
    LookupModel sft = knowing(a(0, 4));
    LookupModel control = knowing(a(0, 1));
    LookupModel ipo = knowing(a(0, 10));
    StageAuditResult r = builder().control(control).consecutiveTransitions(false).transition("sft", "ipo").build()
        .run(List.of(new Stage("sft", sft), new Stage("control", control), new Stage("ipo", ipo)), splits());
    assertThat(r.settings().pairs()).containsExactly(new StagePair("sft", "ipo"));
    assertThat(r.settings().control()).isEqualTo("control");
    assertThat(r.transitions()).hasSize(2);
    Transition t = r.transition("sft", "ipo", "A");
    assertThat(List.of(t.both(), t.onlyBefore(), t.onlyAfter(), t.neither())).containsExactly(4L, 0L, 6L, 0L);
    assertThat(t.retention()).isEqualTo(Proportion.wilson(4, 4));
    assertThat(r.cell("control", "A").counterfactual()).isEqualTo(Proportion.wilson(0, 10));
    // 3 batches of 4 prompts per split (10 scanned of A, 6 of B: 3 + 2 batches), once for the control.
    assertThat(control.generateCalls.get()).isEqualTo(5);
    assertThat(r.cell("sft", "A").membershipAuc()).isNull();
    assertThatThrownBy(() -> r.transition("sft", "control", "A")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jsonRoundTripAndEscapedAtomicHtml(@TempDir Path dir) throws Exception {
    StageAuditResult r = builder().control(knowing(a(0, 1))).nonMemberSplit("B").build()
        .run(List.of(new Stage("<b>sft</b>", knowing(a(0, 5))), new Stage("ppo & co", knowing(a(2, 9)))),
            splits());
    assertThat(StageAuditResult.fromJson(r.toJson())).isEqualTo(r);
    Path json = dir.resolve("stages.json");
    r.writeJson(json);
    assertThat(StageAuditResult.readJson(json)).isEqualTo(r);
    Path html = dir.resolve("stages.html");
    r.writeHtml(html);
    String page = Files.readString(html, StandardCharsets.UTF_8);
    assertThat(page).contains("&lt;b&gt;sft&lt;/b&gt;", "ppo &amp; co", "<svg", "retention")
        .doesNotContain("<b>sft", "<script", "src=", "href=");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("stages.json", "stages.html");
    }
    assertThatThrownBy(() -> StageAuditResult.fromJson("{\"stages\": 3"))
        .isInstanceOf(org.align4j.core.data.DataFormatException.class);
  }

  @Test
  void refusesBadInput() {
    LookupModel m = knowing(a(0, 2));
    List<Stage> two = List.of(new Stage("x", m), new Stage("y", m));
    assertThatThrownBy(() -> builder().build().run(List.of(new Stage("x", m), new Stage("x", m)), splits()))
        .hasMessageContaining("stage name 'x' is given twice");
    assertThatThrownBy(() -> builder().transition("x", "z").build().run(two, splits()))
        .hasMessageContaining("x -> z");
    assertThatThrownBy(() -> builder().nonMemberSplit("C").build().run(two, splits()))
        .hasMessageContaining("'C'");
    List<TextExample> twice = List.of(A.get(0), A.get(0));
    assertThatThrownBy(() -> builder().build().run(two, List.of(new Split("A", Dataset.of("a", twice)))))
        .hasMessageContaining("'a0' repeats within the split 'A'");
    assertThatThrownBy(() -> builder().build().run(two, List.of(new Split("E", Dataset.of("e", List.of())))))
        .hasMessageContaining("split 'E' holds no examples");
    assertThatThrownBy(() -> builder().build().run(List.of(), splits())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StagePair("x", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void assemblesTheResultOfScansMadeElsewhereAsRunDoes() {
    LookupModel sft = knowing(a(0, 6));
    LookupModel control = knowing(a(0, 2));
    StageAudit audit = builder().control(control).nonMemberSplit("B").build();
    StageAuditResult run = audit.run(List.of(new Stage("sft", sft)), splits());
    // The scans run apart from the audit, with its settings, as a distributed runner would run them.
    var config = audit.auditConfig();
    assertThat(config.membershipScores()).isTrue();
    assertThat(List.of(config.prefixTokens(), config.suffixTokens(), config.batchSize())).containsExactly(8, 12, 4);
    var auditor = org.align4j.memorization.Auditor.builder().prefixTokens(8).suffixTokens(12).batchSize(4)
        .threshold(config.threshold()).membershipScores(true).build();
    Map<String, List<org.align4j.memorization.Finding>> bySft = new java.util.LinkedHashMap<>();
    Map<String, List<org.align4j.memorization.Finding>> byControl = new java.util.LinkedHashMap<>();
    for (Split split : splits()) {
      bySft.put(split.name(), auditor.scan(sft, split.data()).findings());
      byControl.put(split.name(), auditor.scan(control, split.data()).findings());
    }
    StageAuditResult assembled = audit.assemble(List.of("sft"), List.of("A", "B"), Map.of("A", 11L, "B", 6L),
        Map.of("sft", bySft), StageAudit.CONTROL, byControl);
    assertThat(assembled).isEqualTo(run);

    assertThatThrownBy(() -> audit.assemble(List.of("sft"), List.of("A", "B"), Map.of("A", 11L, "B", 6L),
        Map.of("sft", Map.of("A", bySft.get("A"))), null, null))
        .hasMessageContaining("no findings for the stage 'sft' on the split 'B'");
    assertThatThrownBy(() -> audit.assemble(List.of("sft"), List.of("A", "B"), Map.of("A", 11L, "B", 6L),
        Map.of("sft", bySft), "control", null)).hasMessageContaining("control");
    assertThatThrownBy(() -> audit.checkNames(List.of("sft"), List.of("A"))).hasMessageContaining("'B'");
  }
}
