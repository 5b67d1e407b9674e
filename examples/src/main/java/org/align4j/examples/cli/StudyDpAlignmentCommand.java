package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.align4j.examples.study.DpAlignmentConfig;
import org.align4j.examples.study.DpAlignmentReport;
import org.align4j.examples.study.DpAlignmentResult;
import org.align4j.examples.study.DpAlignmentStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j study dp-alignment}: DP SFT, DP reward model and DP PPO against epsilon (Wu et al. 2023). */
@Command(name = "dp-alignment", mixinStandardHelpOptions = true,
    description = "For each --epsilons value, train DP SFT, a DP reward model from it and DP PPO against that "
        + "reward model on disjoint splits of a code corpus; report each stage's privacy, the ledger's total, "
        + "held-out utility and the memorization audit side by side. Progress goes to standard error.")
public final class StudyDpAlignmentCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin StudyOptions study;

  @Option(names = "--quick", description = "The same protocol, smaller (24 examples per split, one layer; 29 s "
      + "measured on 2 moderately loaded cores).")
  boolean quick;

  @Option(names = "--data", paramLabel = "JSONL",
      description = "Text corpus ({\"id\", \"text\"} per line, optional \"duplicates\") instead of the embedded "
          + "synthetic code corpus.")
  Path data;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = "align4j-out/study-dp-alignment",
      description = "Where study.html and study.json go (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--overwrite", description = "Replace study.html and study.json of an earlier run.")
  boolean overwrite;

  @Option(names = "--epsilons", split = ",", paramLabel = "E",
      description = "Target epsilons, one private pipeline each; inf is the same pipeline without noise "
          + "(default: 1,2,4,8,inf).")
  List<String> epsilons;

  @Option(names = "--delta", description = "Delta of every stage (default 1e-5).")
  Double delta;

  @Option(names = "--strict", description = "Refuse a --delta of at least 1/N for a stage's N records (default: "
      + "warn).")
  boolean strict;

  @Option(names = "--non-private", split = ",", paramLabel = "STAGE",
      description = "Stages (sft, reward, ppo) to train without privacy in every pipeline; the total epsilon is "
          + "then infinite.")
  List<String> nonPrivate;

  @Option(names = "--split-size", description = "Unique examples per split (default 48; --quick 24).")
  Integer splitSize;

  @Option(names = "--max-duplicates", description = "Largest duplication count (default 8; --quick 4).")
  Integer maxDuplicates;

  @Option(names = "--context", description = "Context length (default 56; --quick 40).")
  Integer context;

  @Option(names = "--d-model", description = "Model width (default 32).")
  Integer dModel;

  @Option(names = "--layers", description = "Layers (default 2; --quick 1).")
  Integer layers;

  @Option(names = "--prefix-tokens", description = "Prompt tokens (default 20; --quick 12).")
  Integer prefixTokens;

  @Option(names = "--suffix-tokens", description = "Target and response tokens (default 24).")
  Integer suffixTokens;

  @Option(names = "--sft-epochs", description = "Expected passes of DP SFT (default 3; --quick 2).")
  Double sftEpochs;

  @Option(names = "--sft-batch", description = "Expected batch size of DP SFT (default 16).")
  Integer sftBatch;

  @Option(names = "--rm-epochs", description = "Expected passes of the DP reward model (default 1).")
  Double rmEpochs;

  @Option(names = "--rm-batch", description = "Expected batch size of the DP reward model (default 16).")
  Integer rmBatch;

  @Option(names = "--ppo-steps", description = "DP PPO steps (default 6; --quick 3).")
  Integer ppoSteps;

  @Option(names = "--ppo-batch", description = "Expected prompts per DP PPO step (default 8; --quick 4).")
  Integer ppoBatch;

  @Option(names = "--kl-coef", description = "PPO's KL penalty to the SFT model (default 0.1).")
  Double klCoef;

  @Option(names = "--lr", description = "Peak learning rate of SFT and the reward model; PPO uses a tenth "
      + "(default 1e-2).")
  Double learningRate;

  @Option(names = "--clip-norm", description = "Per-record gradient clip norm C (default 1.0).")
  Double clipNorm;

  @Option(names = "--canary-digits", description = "Digits of each canary's secret (default 3; --quick 2).")
  Integer canaryDigits;

  @Option(names = "--threads", description = "Audit threads (default: one per core).")
  Integer threads;

  @Override
  public Integer call() {
    DpAlignmentConfig.Builder b = quick ? DpAlignmentConfig.quick() : DpAlignmentConfig.builder();
    b.seed(study.seed).data(data).outputDir(output).strict(strict);
    if (epsilons != null) {
      b.epsilons(parseEpsilons(epsilons));
    }
    if (nonPrivate != null) {
      b.nonPrivateStages(new HashSet<>(nonPrivate.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()));
    }
    StudyOptions.ifGiven(delta, b::delta);
    StudyOptions.ifGiven(splitSize, b::splitSize);
    StudyOptions.ifGiven(maxDuplicates, b::maxDuplicates);
    StudyOptions.ifGiven(context, b::contextLength);
    StudyOptions.ifGiven(dModel, b::dModel);
    StudyOptions.ifGiven(layers, b::layers);
    StudyOptions.ifGiven(prefixTokens, b::prefixTokens);
    StudyOptions.ifGiven(suffixTokens, b::suffixTokens);
    StudyOptions.ifGiven(sftEpochs, b::sftEpochs);
    StudyOptions.ifGiven(sftBatch, b::sftBatch);
    StudyOptions.ifGiven(rmEpochs, b::rmEpochs);
    StudyOptions.ifGiven(rmBatch, b::rmBatch);
    StudyOptions.ifGiven(ppoSteps, b::ppoSteps);
    StudyOptions.ifGiven(ppoBatch, b::ppoBatch);
    StudyOptions.ifGiven(klCoef, b::klCoef);
    StudyOptions.ifGiven(learningRate, b::learningRate);
    StudyOptions.ifGiven(clipNorm, b::clipNorm);
    StudyOptions.ifGiven(canaryDigits, b::canaryDigits);
    StudyOptions.ifGiven(threads, b::threads);
    DpAlignmentConfig config = b.build();
    OutputGuard.directory("--output", output);
    OutputGuard.file("--output", output.resolve("study.html"), OwnOutput.DP_STUDY_HTML, overwrite);
    OutputGuard.file("--output", output.resolve("study.json"), OwnOutput.DP_STUDY_JSON, overwrite);
    DpAlignmentResult result = DpAlignmentStudy.run(config, study.progress());
    study.print(spec, () -> DpAlignmentReport.toJson(result, false), () -> DpAlignmentReport.table(result));
    return 0;
  }


  /** The epsilons as numbers; {@code inf} (any case) is the non-private run. */
  static List<Double> parseEpsilons(List<String> values) {
    List<Double> out = new ArrayList<>();
    for (String v : values) {
      String t = v.strip().toLowerCase(Locale.ROOT);
      if (t.equals("inf") || t.equals("infinity")) {
        out.add(Double.POSITIVE_INFINITY);
        continue;
      }
      double e;
      try {
        e = Double.parseDouble(t);
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("--epsilons: '" + v + "' is not a number or inf");
      }
      if (Double.isNaN(e)) {
        throw new IllegalArgumentException("--epsilons: '" + v + "' is not a number or inf");
      }
      out.add(e);
    }
    return out;
  }
}
