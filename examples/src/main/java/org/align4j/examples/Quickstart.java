package org.align4j.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.Datasets;
import org.align4j.core.data.TextExample;
import org.align4j.core.data.TrainTestSplit;
import org.align4j.core.data.synthetic.SyntheticCodeCorpus;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.ProgressBar;
import org.align4j.core.train.SftConfig;
import org.align4j.core.train.SftTrainer;
import org.align4j.core.train.TrainingResult;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Auditor;
import org.align4j.memorization.Finding;
import org.align4j.memorization.ScanListener;
import org.align4j.memorization.ScanProgress;
import org.align4j.memorization.inference.MembershipEvaluation;
import org.align4j.memorization.inference.ScoreKind;
import org.align4j.memorization.stats.Proportion;

/**
 * The main job on the embedded default data. On the synthetic code corpus (examples duplicated 1 to 32 times,
 * some carrying PII-like strings) it trains a small target model, trains a control model by the same recipe with
 * the audited examples held out, audits the audited examples (members) and never-trained examples
 * (non-members) with the control for counterfactual memorization and membership-inference scores, and writes the
 * HTML and JSON reports.
 */
public final class Quickstart {

  private Quickstart() {}

  /** Runs the job, writing progress to {@code progress}. */
  public static QuickstartResult run(QuickstartConfig c, PrintStream progress) {
    SyntheticCodeCorpus corpus = SyntheticCodeCorpus.builder().seed(c.seed()).uniqueExamples(c.uniqueExamples())
        .build();
    TrainTestSplit<TextExample> trained = Datasets.split(corpus.examples(), c.heldOutFraction(), c.seed());
    TrainTestSplit<TextExample> audited = Datasets.split(trained.train(), 1 - c.auditedFraction(), c.seed() + 1);
    Dataset<TextExample> members = audited.train();
    Dataset<TextExample> controlOnly = audited.test();

    long start = System.nanoTime();
    TransformerLm target = train("target", corpus.trainingSet(trained.train()), c, progress);
    TransformerLm control = train("control", corpus.trainingSet(controlOnly), c, progress);
    double trainingSeconds = (System.nanoTime() - start) / 1e9;
    Checkpoints.save(target, c.targetModelPath());
    Checkpoints.save(control, c.controlModelPath());

    List<TextExample> auditSet = new ArrayList<>();
    members.forEach(e -> auditSet.add(withMembership(e, true, (Integer) e.metadata().get("duplicates"))));
    trained.test().forEach(e -> auditSet.add(withMembership(e, false, 0)));
    AtomicReference<ScanProgress> last = new AtomicReference<>();
    ScanListener console = ScanListener.console(progress);
    AuditReport report = Auditor.builder().prefixTokens(c.prefixTokens()).suffixTokens(c.suffixTokens())
        .control(control).allCores().seed(c.seed()).expectedExamples(auditSet.size())
        .groupBy("duplicates", "has_pii", "template", "member")
        .listener(p -> {
          last.set(p);
          console.onProgress(p);
        })
        .build().scan(target, Dataset.of("quickstart-audit(seed=" + c.seed() + ")", auditSet));
    Path html = c.htmlReportPath();
    Path json = c.jsonReportPath();
    report.writeHtml(html);
    report.writeJson(json);

    Predicate<Finding> member = f -> Boolean.TRUE.equals(f.metadata().get("member"));
    Predicate<Finding> pii = f -> member.test(f) && Boolean.TRUE.equals(f.metadata().get("has_pii"));
    Map<Integer, long[]> byDup = new TreeMap<>();
    for (Finding f : report.findings()) {
      long[] counts = byDup.computeIfAbsent(((Number) f.metadata().get("duplicates")).intValue(), k -> new long[2]);
      counts[0] += f.memorized() ? 1 : 0;
      counts[1]++;
    }
    Map<Integer, Proportion> rates = new HashMap<>();
    byDup.forEach((k, v) -> rates.put(k, Proportion.wilson(v[0], v[1])));
    MembershipEvaluation loss = report.summary().membership().get(ScoreKind.LOSS);
    ScanProgress p = last.get();
    return new QuickstartResult(report, html, json, rates,
        rate(report, member, Finding::memorized), rate(report, member.negate(), Finding::memorized),
        rate(report, member, f -> Boolean.TRUE.equals(f.counterfactuallyMemorized())),
        rate(report, pii, Finding::memorized),
        rate(report, pii, f -> f.generated().contains(String.valueOf(f.metadata().get("pii_value")))),
        loss == null ? Double.NaN : loss.auc(), trainingSeconds,
        p == null ? 0 : p.examplesPerSecond(), p == null ? 0 : p.generatedTokensPerSecond());
  }

  private static TransformerLm train(String label, Dataset<TextExample> data, QuickstartConfig c,
      PrintStream progress) {
    TransformerConfig config = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
        .contextLength(c.contextLength()).dModel(c.dModel()).heads(4).layers(c.layers()).build();
    SftConfig sft = SftConfig.builder().batchSize(16).epochs(c.epochs()).learningRate(c.learningRate())
        .warmupSteps(10).weightDecay(0).seed(c.seed()).build();
    TransformerLm model = TransformerLm.create(config, ByteTokenizer.INSTANCE, c.seed());
    TrainingResult result = new SftTrainer(sft, new ProgressBar(label, progress)).train(model, data);
    if (result.truncatedExamples() > 0) {
      progress.printf(Locale.ROOT, "note: %s model trained on the first %d tokens of each example (%d were longer):"
          + " by design, as the audit reads only the first %d + %d%n", label, c.contextLength(),
          result.truncatedExamples(), c.prefixTokens(), c.suffixTokens());
    }
    return result.model();
  }

  private static TextExample withMembership(TextExample e, boolean member, int duplicates) {
    Map<String, Object> metadata = new HashMap<>(e.metadata());
    metadata.put("member", member);
    metadata.put("duplicates", duplicates);
    return new TextExample(e.id(), e.text(), metadata);
  }

  private static Proportion rate(AuditReport report, Predicate<Finding> among, Predicate<Finding> success) {
    long n = 0;
    long k = 0;
    for (Finding f : report.findings()) {
      if (among.test(f)) {
        n++;
        k += success.test(f) ? 1 : 0;
      }
    }
    return Proportion.wilson(k, n);
  }
}
