package org.align4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.align4j.beam.AuditTransform;
import org.align4j.beam.JsonCoder;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.data.synthetic.SyntheticCodeCorpus;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.memorization.AuditConfig;
import org.align4j.memorization.Auditor;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;

/**
 * Scale figures of {@link AuditTransform}: the same audit (a seeded model, the synthetic corpus) run in process
 * by {@code Auditor.scan} and on Beam's DirectRunner with 1, 2 and 4 workers ({@code targetParallelism}),
 * reporting examples per second. Usage: {@code BeamScaling [examples]} (default 256). Each figure is one run
 * after a warm-up scan: read them as rough, and take them on a quiet machine.
 */
public final class BeamScaling {

  private BeamScaling() {}

  /** Runs the comparison and prints one line per configuration. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    TransformerLm model = TransformerLm.create(TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE
        .vocabSize()).contextLength(128).dModel(64).heads(4).layers(2).build(), ByteTokenizer.INSTANCE, 1);
    Path checkpoint = Files.createTempFile("align4j-beam-scaling", ".zip");
    Checkpoints.save(model, checkpoint);
    List<TextExample> examples = SyntheticCodeCorpus.builder().seed(1).uniqueExamples(n).build().examples()
        .stream().limit(n).toList();
    AuditConfig config = Auditor.builder().prefixTokens(32).suffixTokens(48).build().config();
    Auditor.builder().prefixTokens(32).suffixTokens(48).build().scan(model, Dataset.of("warm-up",
        examples.subList(0, Math.min(32, n))));
    System.out.printf(Locale.ROOT, "%d examples, d64/2 layers, prefix 32, suffix 48, batch %d, %d cores%n", n,
        config.batchSize(), Runtime.getRuntime().availableProcessors());
    long start = System.nanoTime();
    Auditor.builder().prefixTokens(32).suffixTokens(48).build().scan(model, Dataset.of("scan", examples));
    report("Auditor.scan, 1 thread", n, start);
    for (int workers : new int[] {1, 2, 4}) {
      PipelineOptions options = PipelineOptionsFactory.fromArgs("--runner=DirectRunner",
          "--targetParallelism=" + workers, "--enforceImmutability=false").create();
      Pipeline p = Pipeline.create(options);
      List<KV<Long, TextExample>> positioned = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        positioned.add(KV.of((long) i, examples.get(i)));
      }
      p.apply(Create.of(positioned).withCoder(KvCoder.of(VarLongCoder.of(), JsonCoder.of(TextExample.class))))
          .apply(AuditTransform.builder().checkpoint(checkpoint.toString()).config(config).build());
      start = System.nanoTime();
      PipelineResult result = p.run();
      result.waitUntilFinish();
      report("DirectRunner, " + workers + " worker" + (workers > 1 ? "s" : ""), n, start);
      long audited = 0;
      for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder().addNameFilter(
          MetricNameFilter.named(AuditTransform.class, "examplesAudited")).build()).getCounters()) {
        audited += c.getAttempted();
      }
      if (audited != n) {
        throw new IllegalStateException("the pipeline audited " + audited + " of " + n + " examples");
      }
    }
    Files.deleteIfExists(checkpoint);
  }

  private static void report(String what, int n, long start) {
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "%-26s %7.1f s  %7.1f examples/s%n", what, seconds, n / seconds);
  }
}
