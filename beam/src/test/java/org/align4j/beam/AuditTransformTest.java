package org.align4j.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Auditor;
import org.align4j.memorization.ConfiguredAuditor;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link AuditTransform} on the DirectRunner gives {@code Auditor.scan}'s findings and summary, bit for bit. */
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

  /** The examples keyed by their position in the data set, as {@link JsonlInput} yields them. */
  static PCollection<KV<Long, TextExample>> positioned(Pipeline p, List<TextExample> examples) {
    List<KV<Long, TextExample>> keyed = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      keyed.add(KV.of((long) i, examples.get(i)));
    }
    return p.apply(Create.of(keyed).withCoder(KvCoder.of(VarLongCoder.of(), JsonCoder.of(TextExample.class))));
  }

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 3})
  void findingsAndSummaryEqualTheScansBitForBit(int workers) throws Exception {
    // The scan covers every case the comparison should: memorized and not, skipped, groups, membership AUCs.
    assertThat(scan.summary().memorized().successes()).isBetween(1L, scan.summary().scanned() - 1);
    assertThat(scan.summary().skippedTooShort()).isPositive();
    assertThat(scan.summary().membership()).isNotEmpty();
    assertThat(scan.summary().droppedGroupKeys()).containsExactly("uid");

    Pipeline p = pipeline(workers);
    PCollectionTuple out = positioned(p, fixture.examples).apply(AuditTransform.builder()
        .checkpoint(fixture.checkpoint.toString()).config(AuditFixture.config()).build());
    assertEqualsScan(out, scan);
    PAssert.thatSingleton(out.get(AuditTransform.SUMMARY)
            .apply(MapElements.into(TypeDescriptors.strings()).via(s -> s.dataSha256() + s.aucErrorBounds())))
        .isEqualTo(unorderedSha256(fixture.examples) + "{}");
    p.run().waitUntilFinish();
  }

  @Test
  void sampledExtractionEqualsTheScansWithTwoWorkers() {
    // Its seeds follow the batch index, which the transform's batches share with the scan's.
    List<TextExample> examples = fixture.examples.subList(0, 40);
    ConfiguredAuditor auditor = Auditor.builder().prefixTokens(8).suffixTokens(16).threshold(0.5).batchSize(8)
        .sampling(2, 1.0).seed(11).build();
    AuditReport sampled = auditor.scan(fixture.model, Dataset.of("fixture", examples));
    assertThat(sampled.findings()).anySatisfy(f -> assertThat(f.extraction().successes()).isPositive());
    Pipeline p = pipeline(2);
    assertEqualsScan(positioned(p, examples).apply(AuditTransform.builder()
        .checkpoint(fixture.checkpoint.toString()).config(auditor.config()).build()), sampled);
    p.run().waitUntilFinish();
  }

  @Test
  void repeatedPositionFailsNamingTheBatch() {
    Pipeline p = pipeline(1);
    p.apply(Create.of(KV.of(0L, fixture.examples.get(0)), KV.of(0L, fixture.examples.get(1)))
            .withCoder(KvCoder.of(VarLongCoder.of(), JsonCoder.of(TextExample.class))))
        .apply(AuditTransform.builder().checkpoint(fixture.checkpoint.toString()).config(AuditFixture.config())
            .build());
    assertThatThrownBy(() -> p.run().waitUntilFinish()).rootCause()
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch 0 holds positions [0, 0]");
  }

  /** Asserts that the transform's findings and summary equal the scan's in every field, as JSON. */
  static void assertEqualsScan(PCollectionTuple out, AuditReport scan) {
    PAssert.that(out.get(AuditTransform.FINDINGS)
            .apply(MapElements.into(TypeDescriptors.strings()).via(Json::write)))
        .containsInAnyOrder(scan.findings().stream().map(Json::write).toList());
    PAssert.thatSingleton(out.get(AuditTransform.SUMMARY)
            .apply(MapElements.into(TypeDescriptors.strings()).via(s -> Json.write(s.summary()))))
        .isEqualTo(Json.write(scan.summary()));
  }

  @Test
  void unreadableCheckpointFailsAtConstructionNamingTheUri() {
    Pipeline p = pipeline(1);
    PCollection<KV<Long, TextExample>> input = positioned(p, fixture.examples);
    String missing = dir.resolve("no-such-model.zip").toString();
    assertThatThrownBy(() -> input.apply(AuditTransform.builder().checkpoint(missing).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing);
    assertThatThrownBy(() -> input.apply(AuditTransform.builder().checkpoint("nosuchfs://bucket/model.zip")
        .build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nosuchfs://bucket/model.zip");
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
