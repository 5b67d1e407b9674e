package org.align4j.memorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.memorization.fake.ByteTokenizer;
import org.align4j.memorization.fake.NgramModel;
import org.align4j.memorization.inference.ScoreKind;
import org.junit.jupiter.api.Test;

class AuditorTest {

  static final ByteTokenizer TOKENIZER = new ByteTokenizer();

  static String randomText(SplittableRandom rnd, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(rnd.nextInt(6) == 0 ? ' ' : (char) ('a' + rnd.nextInt(26)));
    }
    return sb.toString();
  }

  static List<String> texts(long seed, int count, int length) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(randomText(rnd, length));
    }
    return out;
  }

  /** Members (trained on, some duplicated) then held-out texts, labelled in metadata. */
  static Dataset<TextExample> membersAndHeldOut(List<String> members, List<String> heldOut) {
    List<TextExample> examples = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      examples.add(new TextExample("m" + i, members.get(i), Map.of("member", true, "duplicates", 1 + i % 3)));
    }
    for (int i = 0; i < heldOut.size(); i++) {
      examples.add(new TextExample("h" + i, heldOut.get(i), Map.of("member", false, "duplicates", 0)));
    }
    return Dataset.of("members-and-held-out", examples);
  }

  @Test
  void flagsMemorizedExamplesAndNotHeldOutOnes() {
    List<String> members = texts(1, 30, 130);
    List<String> heldOut = texts(2, 30, 130);
    NgramModel model = new NgramModel(TOKENIZER, 8, members);
    Dataset<TextExample> data = membersAndHeldOut(members, heldOut);
    AuditReport report = Auditor.scan(model, data);
    assertThat(report.summary().scanned()).isEqualTo(60);
    assertThat(report.summary().skippedTooShort()).isZero();
    assertThat(report.findings()).hasSize(60);
    for (Finding f : report.findings()) {
      boolean member = f.id().startsWith("m");
      assertThat(f.memorized()).as(f.id()).isEqualTo(member);
      assertThat(f.exactMatch()).as(f.id()).isEqualTo(member);
      assertThat(f.targetTokens()).isEqualTo(48);
      assertThat(f.prefix()).hasSize(32);
      if (!member) {
        assertThat(f.normalizedDistance()).isGreaterThan(0.5);
      }
    }
    assertThat(report.findings().get(0).target()).isEqualTo(members.get(0).substring(32, 80));
    assertThat(report.findings().get(0).generated()).isEqualTo(members.get(0).substring(32, 80));
    assertThat(report.summary().memorized().successes()).isEqualTo(30);
    assertThat(report.summary().memorized().rate()).isEqualTo(0.5);
    assertThat(report.summary().groups().get("member").get("true").memorized().rate()).isEqualTo(1.0);
    assertThat(report.summary().groups().get("member").get("false").memorized().rate()).isZero();
    assertThat(report.summary().groups().get("duplicates")).containsKeys("0", "1", "2", "3");
    assertThat(report.summary().counterfactuallyMemorized()).isNull();
    assertThat(report.summary().membership().get(ScoreKind.LOSS).auc()).isGreaterThan(0.95);
    assertThat(report.summary().membership().get(ScoreKind.MIN_K_PROB).auc()).isGreaterThan(0.95);
    assertThat(report.summary().membership().get(ScoreKind.ZLIB_RATIO).auc()).isGreaterThan(0.95);
    assertThat(report.provenance().dataSha256()).isEqualTo(DataFingerprint.ofTexts(data));
    assertThat(report.provenance().model().kind()).isEqualTo("NgramModel");
  }

  @Test
  void membershipAucNearHalfForAModelThatNeverSawTheData() {
    List<String> members = texts(3, 40, 100);
    List<String> heldOut = texts(4, 40, 100);
    NgramModel stranger = new NgramModel(TOKENIZER, 8, texts(5, 40, 100));
    AuditReport report = Auditor.builder().prefixTokens(16).suffixTokens(16).build()
        .scan(stranger, membersAndHeldOut(members, heldOut));
    assertThat(report.summary().memorized().successes()).isZero();
    assertThat(report.summary().membership().get(ScoreKind.LOSS).auc()).isCloseTo(0.5, within(0.15));
    assertThat(report.summary().membership().get(ScoreKind.MIN_K_PROB).auc()).isCloseTo(0.5, within(0.15));
  }

  @Test
  void counterfactualRuleDropsAnExampleBothModelsComplete() {
    String licence = "licensed under the apache license version two point zero you may not use this file except "
        + "in compliance with the license";
    String unique = texts(6, 1, 130).get(0);
    NgramModel target = new NgramModel(TOKENIZER, 8, List.of(licence, unique));
    NgramModel control = new NgramModel(TOKENIZER, 8, List.of(licence));
    Dataset<TextExample> data = Dataset.of("cf", List.of(new TextExample("licence", licence),
        new TextExample("unique", unique)));
    AuditReport report = Auditor.builder().control(control).build().scan(target, data);
    Finding lic = report.findings().get(0);
    Finding uni = report.findings().get(1);
    assertThat(lic.memorized()).isTrue();
    assertThat(lic.control().memorized()).isTrue();
    assertThat(lic.counterfactuallyMemorized()).isFalse();
    assertThat(uni.memorized()).isTrue();
    assertThat(uni.control().memorized()).isFalse();
    assertThat(uni.counterfactuallyMemorized()).isTrue();
    assertThat(report.summary().counterfactuallyMemorized().successes()).isEqualTo(1);
    assertThat(report.summary().controlMemorized().successes()).isEqualTo(1);
    // The control doubles as the membership reference model.
    assertThat(lic.membership().referenceDifference()).isCloseTo(0.0, within(0.05));
    assertThat(uni.membership().referenceDifference()).isLessThan(-1);
  }

  @Test
  void countsSkippedShortExamples() {
    List<String> members = texts(7, 3, 100);
    List<TextExample> data = new ArrayList<>();
    data.add(new TextExample("short1", "too short"));
    data.add(new TextExample("long", members.get(0)));
    data.add(new TextExample("short2", members.get(1).substring(0, 79)));
    data.add(new TextExample("exact80", members.get(2).substring(0, 80)));
    AuditReport report = Auditor.scan(new NgramModel(TOKENIZER, 8, members), Dataset.of("mixed", data));
    assertThat(report.summary().examplesRead()).isEqualTo(4);
    assertThat(report.summary().skippedTooShort()).isEqualTo(2);
    assertThat(report.summary().scanned()).isEqualTo(2);
    assertThat(report.findings()).extracting(Finding::id).containsExactly("long", "exact80");
  }

  @Test
  void badInputGivesClearErrors() {
    NgramModel model = new NgramModel(TOKENIZER, 8, texts(8, 2, 100));
    Dataset<TextExample> data = Dataset.of("d", List.of(new TextExample("a", texts(9, 1, 100).get(0))));
    assertThatThrownBy(() -> Auditor.builder().threshold(1.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold").hasMessageContaining("1.5");
    assertThatThrownBy(() -> Auditor.builder().threshold(-0.1)).hasMessageContaining("threshold");
    assertThatThrownBy(() -> Auditor.scan(model, Dataset.of("empty.jsonl", List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.jsonl")
        .hasMessageContaining("no examples");
    NgramModel otherTokenizer = new NgramModel(new ByteTokenizer(300), 8, List.of());
    assertThatThrownBy(() -> Auditor.builder().control(otherTokenizer).build().scan(model, data))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenizer does not match");
    // A model whose outputs fall outside its tokenizer's vocabulary.
    NgramModel mismatched = new NgramModel(TOKENIZER, 8, List.of(), 512, 300);
    assertThatThrownBy(() -> Auditor.scan(mismatched, data)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("300").hasMessageContaining("do not match");
    NgramModel tiny = new NgramModel(TOKENIZER, 8, List.of(), 64, ' ');
    assertThatThrownBy(() -> Auditor.scan(tiny, data)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("context length 64");
    assertThatThrownBy(() -> Auditor.builder().prefixOffsets(4, 2)).hasMessageContaining("increasing");
    assertThatThrownBy(() -> Auditor.builder().batchSize(0)).hasMessageContaining("batchSize");
  }

  @Test
  void aScanThatAuditsNothingIsRefused() {
    Dataset<TextExample> tooShort = Dataset.of("short", List.of(
        new TextExample("a", "thirty-nine characters, far too short..", Map.of()),
        new TextExample("b", "tiny", Map.of())));
    NgramModel model = new NgramModel(TOKENIZER, 8, List.of());
    assertThatThrownBy(() -> Auditor.scan(model, tooShort)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none of the 2 examples of dataset 'short' is long enough")
        .hasMessageContaining("at least 80 tokens");
  }

  @Test
  void aControlWithAShorterContextIsRefusedBeforeTheScanByName() {
    List<String> members = texts(14, 4, 120);
    NgramModel model = new NgramModel(TOKENIZER, 8, members);
    NgramModel shortControl = new NgramModel(TOKENIZER, 8, List.of(), 100, ' ');
    List<ScanProgress> progress = new ArrayList<>();
    ConfiguredAuditor auditor = Auditor.builder().control(shortControl).listener(progress::add).build();
    assertThatThrownBy(() -> auditor.scan(model, membersAndHeldOut(members, texts(15, 4, 120))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control model").hasMessageContaining("context length of 100")
        .hasMessageContaining("512");
    assertThat(progress).isEmpty();
    // Without membership scores the control only generates, which its context allows.
    AuditReport report = Auditor.builder().control(shortControl).membershipScores(false).build()
        .scan(model, membersAndHeldOut(members, texts(15, 4, 120)));
    assertThat(report.summary().scanned()).isEqualTo(8);
  }

  @Test
  void parallelScanEqualsSequentialScanAndScansRunConcurrently() throws Exception {
    List<String> members = texts(10, 20, 120);
    NgramModel model = new NgramModel(TOKENIZER, 8, members);
    Dataset<TextExample> data = membersAndHeldOut(members, texts(11, 13, 120));
    AuditReport sequential = Auditor.builder().batchSize(4).sampling(2, 0.5).build().scan(model, data);
    ConfiguredAuditor parallel = Auditor.builder().batchSize(4).sampling(2, 0.5).threads(3).build();
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try {
      List<Future<AuditReport>> futures = List.of(callers.submit(() -> parallel.scan(model, data)),
          callers.submit(() -> parallel.scan(model, data)));
      for (Future<AuditReport> f : futures) {
        AuditReport r = f.get();
        assertThat(r.findings()).isEqualTo(sequential.findings());
        assertThat(r.summary()).isEqualTo(sequential.summary());
        assertThat(r.provenance().dataSha256()).isEqualTo(sequential.provenance().dataSha256());
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void probabilisticExtraction() {
    List<String> members = texts(12, 6, 100);
    NgramModel model = new NgramModel(TOKENIZER, 8, members);
    AuditReport report = Auditor.builder().sampling(5, 0.3).seed(3).build()
        .scan(model, membersAndHeldOut(members, texts(13, 6, 100)));
    for (Finding f : report.findings()) {
      Extraction e = f.extraction();
      assertThat(e.samples()).isEqualTo(5);
      assertThat(e.probabilityAny()).isCloseTo(1 - Math.pow(1 - e.perSampleProbability(), 5), within(1e-12));
      if (f.id().startsWith("m")) {
        assertThat(e.perSampleProbability()).as(f.id()).isGreaterThanOrEqualTo(0.6);
      } else {
        assertThat(e.successes()).as(f.id()).isZero();
      }
    }
    assertThat(report.summary().meanExtractionProbability()).isBetween(0.3, 0.5);
  }

  @Test
  void severalPrefixOffsetsReportTheBestWindow() {
    SplittableRandom rnd = new SplittableRandom(14);
    String head = randomText(rnd, 60);
    String tail = randomText(rnd, 100);
    NgramModel model = new NgramModel(TOKENIZER, 8, List.of(tail));
    Dataset<TextExample> data = Dataset.of("d", List.of(new TextExample("x", head + tail)));
    Finding single = Auditor.scan(model, data).findings().get(0);
    assertThat(single.memorized()).isFalse();
    Finding best = Auditor.builder().prefixOffsets(0, 30, 60).build().scan(model, data).findings().get(0);
    assertThat(best.offset()).isEqualTo(60);
    assertThat(best.memorized()).isTrue();
    assertThat(best.target()).isEqualTo(tail.substring(32, 80));
  }

  @Test
  void keepOnlyMemorizedRedactionAndProgress() {
    List<String> members = texts(15, 5, 100);
    NgramModel model = new NgramModel(TOKENIZER, 8, members);
    ConcurrentLinkedQueue<ScanProgress> progress = new ConcurrentLinkedQueue<>();
    AuditReport report = Auditor.builder().keepOnlyMemorized(true).redact(4).batchSize(2)
        .expectedExamples(10).listener(progress::add).build()
        .scan(model, membersAndHeldOut(members, texts(16, 5, 100)));
    assertThat(report.findings()).hasSize(5).allMatch(Finding::memorized);
    assertThat(report.summary().scanned()).isEqualTo(10);
    Finding f = report.findings().get(0);
    assertThat(f.target()).startsWith("[sha256:").contains(members.get(0).substring(32, 36))
        .doesNotContain(members.get(0).substring(32, 60));
    assertThat(progress).hasSize(6);
    ScanProgress last = progress.stream().reduce((a, b) -> b).orElseThrow();
    assertThat(last.finished()).isTrue();
    assertThat(last.examplesRead()).isEqualTo(10);
    assertThat(last.generatedTokensPerSecond()).isPositive();
    assertThat(progress.peek().etaSeconds()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void cancellationByTokenAndByInterrupt() {
    List<String> members = texts(17, 10, 100);
    NgramModel model = new NgramModel(TOKENIZER, 8, members);
    Dataset<TextExample> data = membersAndHeldOut(members, List.of());
    CancellationToken token = new CancellationToken();
    ConfiguredAuditor auditor = Auditor.builder().batchSize(2).listener(p -> token.cancel()).build();
    assertThatThrownBy(() -> auditor.scan(model, data, token)).isInstanceOf(CancellationException.class)
        .hasMessageContaining("cancelled");
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> Auditor.scan(model, data)).isInstanceOf(CancellationException.class)
          .hasMessageContaining("interrupted");
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }
  }

  @Test
  void compareCountsTransitionsBetweenStages() {
    List<String> members = texts(18, 6, 100);
    Dataset<TextExample> data = membersAndHeldOut(members, texts(19, 2, 100));
    NgramModel sft = new NgramModel(TOKENIZER, 8, members.subList(0, 4));
    NgramModel rl = new NgramModel(TOKENIZER, 8, members.subList(2, 6));
    AuditReport before = Auditor.scan(sft, data);
    AuditReport after = Auditor.builder().keepOnlyMemorized(true).build().scan(rl, data);
    StageComparison c = before.compare(after);
    assertThat(c.both()).containsExactly("m2", "m3");
    assertThat(c.onlyBefore()).containsExactly("m0", "m1");
    assertThat(c.onlyAfter()).containsExactly("m4", "m5");
    assertThat(c.neither()).containsExactly("h0", "h1");
    assertThat(c.unmatched()).isEmpty();
    assertThat(c.bothCount() + c.onlyBeforeCount() + c.onlyAfterCount() + c.neitherCount()).isEqualTo(8);
  }
}
