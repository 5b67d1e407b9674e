package org.align4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.SftConfig;
import org.align4j.core.train.SftTrainer;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Auditor;
import org.align4j.memorization.Finding;
import org.junit.jupiter.api.Test;

/** The auditor on a real (tiny) transformer: trained texts are flagged, held-out ones are not. */
class TransformerAuditTest {

  private static final List<String> TRAINED = List.of(
      "def area(r): return 3.14159 * r * r  # circle",
      "API_KEY = 'sk_live_9fQ2xLm7Tt0p'  # do not share",
      "for i in range(10): print(i * i, end=' ')");
  private static final List<String> HELD_OUT = List.of(
      "class Stack: def push(self, x): self.items.append(x)",
      "SELECT name, email FROM users WHERE id = 42;");

  @Test
  void flagsTrainedTextsAndNotHeldOutOnes() {
    List<TextExample> train = new ArrayList<>();
    for (int i = 0; i < TRAINED.size(); i++) {
      train.add(new TextExample("t" + i, TRAINED.get(i)));
    }
    TransformerLm model = TransformerLm.create(TinyModels.config(64), ByteTokenizer.INSTANCE, 3);
    new SftTrainer(SftConfig.builder().batchSize(3).maxSteps(250).learningRate(1e-2).warmupSteps(10)
        .weightDecay(0).seed(3).build()).train(model, Dataset.of("trained", train));

    List<TextExample> audit = new ArrayList<>();
    for (TextExample e : train) {
      audit.add(new TextExample(e.id(), e.text(), Map.of("member", true)));
    }
    for (int i = 0; i < HELD_OUT.size(); i++) {
      audit.add(new TextExample("h" + i, HELD_OUT.get(i), Map.of("member", false)));
    }
    AuditReport report = Auditor.builder().prefixTokens(8).suffixTokens(24).build()
        .scan(model, Dataset.of("audit", audit));
    for (Finding f : report.findings()) {
      assertThat(f.memorized()).as(f.id() + ": " + f.generated()).isEqualTo(f.id().startsWith("t"));
    }
    assertThat(report.summary().memorized().successes()).isEqualTo(TRAINED.size());
  }
}
