package org.align4j.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.align4j.core.data.TextExample;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Auditor;
import org.align4j.memorization.Finding;
import org.align4j.memorization.report.Summary;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link AuditTransform} on the DirectRunner gives {@code Auditor.scan}'s findings and summary. */
class AuditTransformTest {

  @TempDir static Path dir;
  private static AuditFixture fixture;
  private static AuditReport scan;

  @BeforeAll
  static void setUp() {
    fixture = AuditFixture.shared();
    scan = AuditFixture.scan();
    assertThat(scan.config()).isEqualTo(AuditFixture.config());
  }

  static Pipeline pipeline(int workers) {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setTargetParallelism(workers);
    options.setBlockOnRun(true);
    // The audit's accumulator is mutated by design (CombineFn); skipping the copy-and-compare keeps tests fast.
    options.setEnforceImmutability(false);
    return Pipeline.create(options);
  }

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 3})
  void findingsAndSummaryEqualTheScans(int workers) throws Exception {
    // The scan covers every case the comparison should: memorized and not, skipped, groups, membership AUCs.
    assertThat(scan.summary().memorized().successes()).isBetween(1L, scan.summary().scanned() - 1);
    assertThat(scan.summary().skippedTooShort()).isPositive();
    assertThat(scan.summary().membership()).isNotEmpty();
    assertThat(scan.summary().droppedGroupKeys()).containsExactly("uid");

    Pipeline p = pipeline(workers);
    PCollection<TextExample> input = p.apply(Create.of(fixture.examples).withCoder(JsonCoder.of(TextExample.class)));
    PCollectionTuple out = input.apply(AuditTransform.builder().checkpoint(fixture.checkpoint.toString())
        .config(AuditFixture.config()).build());
    List<String> expected = scan.findings().stream().map(AuditTransformTest::exactPart).toList();
    PAssert.that(out.get(AuditTransform.FINDINGS)
            .apply(MapElements.into(TypeDescriptors.strings()).via(AuditTransformTest::exactPart)))
        .containsInAnyOrder(expected);
    List<String> scores = scan.findings().stream().map(AuditTransformTest::scores).toList();
    PAssert.that(out.get(AuditTransform.FINDINGS)
            .apply(MapElements.into(TypeDescriptors.strings()).via(AuditTransformTest::scores)))
        .satisfies(actual -> {
          assertScoresClose(actual, scores);
          return null;
        });
    PAssert.thatSingleton(out.get(AuditTransform.SUMMARY)
            .apply(MapElements.into(TypeDescriptors.strings()).via(s -> exactPart(s.summary()))))
        .isEqualTo(exactPart(scan.summary()));
    PAssert.thatSingleton(out.get(AuditTransform.SUMMARY)
            .apply(MapElements.into(TypeDescriptors.strings()).via(s -> s.dataSha256() + s.aucErrorBounds())))
        .isEqualTo(unorderedSha256(fixture.examples) + "{}");
    p.run().waitUntilFinish();
    assertThat(scan.findings().stream().filter(Finding::memorized)).isNotEmpty();
  }

  @Test
  void unreadableCheckpointFailsAtConstructionNamingTheUri() {
    Pipeline p = pipeline(1);
    PCollection<TextExample> input = p.apply(Create.of(fixture.examples).withCoder(JsonCoder.of(TextExample.class)));
    String missing = dir.resolve("no-such-model.zip").toString();
    assertThatThrownBy(() -> input.apply(AuditTransform.builder().checkpoint(missing).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing);
    assertThatThrownBy(() -> input.apply(AuditTransform.builder().checkpoint("nosuchfs://bucket/model.zip")
        .build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nosuchfs://bucket/model.zip");
  }

  @Test
  void samplingIsRefused() {
    assertThatThrownBy(() -> AuditTransform.builder().config(Auditor.builder().sampling(4, 1.0).build().config()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples = 4");
  }

  /**
   * A finding without its membership scores, which batched log-probabilities give only to float rounding: a
   * forward pass's rows differ in their last bits with the batch around them (same lengths, no padding).
   */
  static String exactPart(Finding f) {
    return Json.write(new Finding(f.id(), f.offset(), f.prefix(), f.target(), f.generated(), f.targetTokens(),
        f.generatedTokens(), f.tokenDistance(), f.normalizedDistance(), f.exactMatch(), f.memorized(), f.control(),
        f.counterfactuallyMemorized(), f.extraction(), null, f.metadata())) + (f.membership() == null ? "" : "+m");
  }

  /** The id and membership scores of a finding. */
  static String scores(Finding f) {
    var m = f.membership();
    return f.id() + " " + m.tokens() + " " + m.zlibBytes() + " " + m.loss() + " " + m.zlibRatio() + " "
        + m.minKProb();
  }

  static void assertScoresClose(Iterable<String> actual, List<String> expected) {
    java.util.Map<String, String[]> byId = new java.util.HashMap<>();
    for (String e : expected) {
      byId.put(e.split(" ")[0], e.split(" "));
    }
    int n = 0;
    for (String a : actual) {
      String[] got = a.split(" ");
      String[] want = byId.get(got[0]);
      assertThat(want).as(got[0]).isNotNull();
      assertThat(got[1] + got[2]).isEqualTo(want[1] + want[2]);
      for (int i = 3; i < 6; i++) {
        assertThat(Double.parseDouble(got[i])).as(a).isCloseTo(Double.parseDouble(want[i]),
            org.assertj.core.data.Offset.offset(1e-5 * Math.abs(Double.parseDouble(want[i]))));
      }
      n++;
    }
    assertThat(n).isEqualTo(expected.size());
  }

  /**
   * The summary with each membership evaluation reduced to its counts, AUC, low-FPR TPRs and curve points (FPR,
   * TPR); the curve's thresholds are scores, equal only to float rounding (see {@link #exactPart(Finding)}).
   */
  static String exactPart(Summary s) {
    StringBuilder membership = new StringBuilder();
    new java.util.TreeMap<>(s.membership()).forEach((kind, e) -> membership.append(kind).append(' ')
        .append(e.members()).append(' ').append(e.nonMembers()).append(' ').append(e.auc()).append(' ')
        .append(e.tprAt1PercentFpr()).append(' ').append(e.tprAt01PercentFpr()).append(' ')
        .append(e.curve().stream().map(p -> p.fpr() + ":" + p.tpr()).toList())
        .append('\n'));
    return Json.write(new Summary(s.examplesRead(), s.scanned(), s.skippedTooShort(), s.memorized(), s.exactMatch(),
        s.counterfactuallyMemorized(), s.controlMemorized(), s.meanExtractionProbability(),
        s.meanExtractionProbabilityAny(), s.generatedTokens(), s.normalizedDistances(), s.groups(),
        s.droppedGroupKeys(), java.util.Map.of())) + "\n" + membership;
  }

  /** An independent computation of {@link AuditSummary#dataSha256()}. */
  static String unorderedSha256(List<TextExample> examples) throws Exception {
    BigInteger sum = BigInteger.ZERO;
    for (TextExample e : examples) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((e.id() + "\0" + e.text() + "\0").getBytes(StandardCharsets.UTF_8));
      sum = sum.add(new BigInteger(1, sha.digest()));
    }
    return String.format("%064x", sum.mod(BigInteger.ONE.shiftLeft(256)));
  }
}
