package org.align4j.memorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.memorization.report.AuditProvenance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The same seed gives the same report, bit for bit, however many threads scan: with real transformer models, whose
 * BLAS products round differently with the BLAS thread count and with the number of rows in a product.
 */
class DeterministicScanTest {

  private static final TransformerLm MODEL = TinyModels.perturbed(32, 11, 0.05);
  private static final TransformerLm CONTROL = TinyModels.perturbed(32, 12, 0.05);

  /**
   * Batches of 8 examples: one thread's scoring and prompt passes run while the other's cached steps run; batches of
   * 64: cached steps large enough to be split over cores.
   */
  @ParameterizedTest
  @ValueSource(ints = {8, 64})
  void twoThreadScansRunTwiceGiveTheOneThreadScansJson(int batchSize) {
    // Surefire starts BLAS on one thread; with two the products of concurrent scans could round differently.
    int blasThreads = Nd4j.factory().blas().getMaxThreads();
    Nd4j.factory().blas().setMaxThreads(2);
    try {
      Dataset<TextExample> data = data(3 * batchSize);
      String one = json(scan(1, batchSize, data));
      assertThat(json(scan(2, batchSize, data))).as("first two-thread scan").isEqualTo(one);
      assertThat(json(scan(2, batchSize, data))).as("second two-thread scan").isEqualTo(one);
    } finally {
      Nd4j.factory().blas().setMaxThreads(blasThreads);
    }
  }

  private static Dataset<TextExample> data(int n) {
    SplittableRandom rnd = new SplittableRandom(5);
    List<TextExample> examples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      examples.add(new TextExample("e" + i, AuditorTest.randomText(rnd, 26 + rnd.nextInt(10)),
          Map.of("member", i % 2 == 0)));
    }
    return Dataset.of("random", examples);
  }

  private static AuditReport scan(int threads, int batchSize, Dataset<TextExample> data) {
    return Auditor.builder().prefixTokens(12).suffixTokens(12).batchSize(batchSize).threads(threads)
        .control(CONTROL).sampling(1, 1.0).seed(7).build().scan(MODEL, data);
  }

  /** The report's JSON without the two fields that differ by design: the creation time and the thread count. */
  private static String json(AuditReport r) {
    AuditProvenance p = r.provenance();
    AuditProvenance fixed = new AuditProvenance(p.model(), p.control(), p.reference(), p.dataName(), p.dataSha256(),
        p.seed(), p.libraryVersion(), "fixed");
    String json = new AuditReport(r.config(), fixed, r.summary(), r.findings(), r.canaries()).toJson();
    assertThat(json).contains("\"threads\" : " + r.config().threads() + ",");
    return json.replace("\"threads\" : " + r.config().threads() + ",", "\"threads\" : 0,");
  }
}
