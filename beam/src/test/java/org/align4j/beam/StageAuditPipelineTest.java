package org.align4j.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.memorization.stages.Split;
import org.align4j.memorization.stages.Stage;
import org.align4j.memorization.stages.StageAudit;
import org.align4j.memorization.stages.StageAuditResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StageAuditPipeline} gives {@code StageAudit.run}'s result on the DirectRunner. */
class StageAuditPipelineTest {

  @TempDir Path dir;

  @Test
  void resultEqualsStageAuditRunWithTwoWorkers() {
    AuditFixture fixture = AuditFixture.shared();
    // "base" is the fixture model before training (same seed): the control, and the first stage.
    TransformerLm base = TransformerLm.create(TinyModels.config(32), ByteTokenizer.INSTANCE, 5);
    Path baseCheckpoint = dir.resolve("base.zip");
    Checkpoints.save(base, baseCheckpoint);
    List<TextExample> trained = fixture.examples.subList(0, 24);
    List<TextExample> heldOut = fixture.examples.subList(100, 124);
    JsonlDatasets.writeTextExamples(dir.resolve("trained.jsonl"), trained);
    JsonlDatasets.writeTextExamples(dir.resolve("heldout-1.jsonl"), heldOut.subList(0, 13));
    JsonlDatasets.writeTextExamples(dir.resolve("heldout-2.jsonl"), heldOut.subList(13, 24));
    StageAudit audit = StageAudit.builder().prefixTokens(8).suffixTokens(16).threshold(0.5).batchSize(8)
        .nonMemberSplit("heldout").control(base).build();

    StageAuditResult expected = audit.run(List.of(new Stage("base", base), new Stage("sft", fixture.model)),
        List.of(new Split("trained", Dataset.of("trained", trained)), new Split("heldout",
            Dataset.of("heldout", heldOut))));
    StageAuditResult actual = StageAuditPipeline.run(audit, List.of(
            new StageAuditPipeline.StageCheckpoint("base", baseCheckpoint.toString()),
            new StageAuditPipeline.StageCheckpoint("sft", fixture.checkpoint.toString())),
        baseCheckpoint.toString(), List.of(
            new StageAuditPipeline.SplitFiles("trained", List.of(dir.resolve("trained.jsonl").toString())),
            new StageAuditPipeline.SplitFiles("heldout", List.of(dir.resolve("heldout-*.jsonl").toString()))),
        dir.resolve("out") + "/", AuditTransformTest.pipeline(2).getOptions());

    // The comparison covers memorization, counterfactual rates, AUCs and transitions that are not trivial.
    assertThat(expected.cell("sft", "trained").discoverable().successes()).isPositive();
    assertThat(expected.cell("sft", "trained").counterfactual().successes()).isPositive();
    assertThat(expected.cell("sft", "trained").membershipAuc()).isNotNull();
    assertThat(expected.transition("base", "sft", "trained").onlyAfter()).isPositive();
    assertThat(expected.settings().control()).isEqualTo("base");
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.toJson()).isEqualTo(expected.toJson());
  }

  @Test
  void unknownNonMemberSplitFailsBeforeAnyWork() {
    StageAudit audit = StageAudit.builder().nonMemberSplit("nowhere").build();
    assertThatThrownBy(() -> StageAuditPipeline.run(audit, List.of(new StageAuditPipeline.StageCheckpoint("a",
            AuditFixture.shared().checkpoint.toString())), null, List.of(new StageAuditPipeline.SplitFiles("s",
            List.of(dir.resolve("none.jsonl").toString()))), dir + "/out/", AuditTransformTest.pipeline(1)
            .getOptions()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nowhere");
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
