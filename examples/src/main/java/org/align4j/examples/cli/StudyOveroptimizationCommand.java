package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.align4j.examples.study.OveroptimizationConfig;
import org.align4j.examples.study.OveroptimizationReport;
import org.align4j.examples.study.OveroptimizationResult;
import org.align4j.examples.study.OveroptimizationStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j study overoptimization}: proxy and gold reward against KL (Gao et al. 2022). */
@Command(name = "overoptimization", mixinStandardHelpOptions = true,
    description = "Train proxy reward models on gold-labelled pairs of several sizes (and an ensemble of proxies), "
        + "optimise each by PPO and by best-of-n from an SFT policy on a code corpus, and report proxy and gold "
        + "reward against the KL from the SFT policy, with the KL at which the gold reward peaks. The gold reward "
        + "is the mean per-character log-probability under a character bigram model of held-out code. Progress "
        + "goes to standard error.")
public final class StudyOveroptimizationCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin StudyOptions study;

  @Option(names = "--quick", description = "The same protocol, smaller (pairs 32,128; 128 SFT examples; 9 "
      + "PPO iterations; 12 held-out prompts; see the README for the measured time).")
  boolean quick;

  @Option(names = {"--output", "--output-dir"}, paramLabel = "DIR",
      defaultValue = "align4j-out/study-overoptimization",
      description = "Where study.html and study.json go (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--overwrite", description = "Replace study.html and study.json of an earlier run.")
  boolean overwrite;

  @Option(names = "--pair-counts", split = ",", paramLabel = "N",
      description = "Gold-labelled pairs of each proxy, increasing (default 32,128,512; --quick 32,128).")
  List<Integer> pairCounts;

  @Option(names = "--ensemble-size", description = "Proxies in the ensemble (default 3).")
  Integer ensembleSize;

  @Option(names = "--ensemble-pairs", description = "Pairs of each ensemble member, one of --pair-counts "
      + "(default: the smallest).")
  Integer ensemblePairs;

  @Option(names = "--ensemble-k", description = "k of the ensemble's mean minus k standard deviations "
      + "(default 1).")
  Double ensembleK;

  @Option(names = "--best-of-n", split = ",", paramLabel = "N",
      description = "The n of best-of-n, increasing (default 1,2,4,8,16,32; --quick 1,2,4,8,16).")
  List<Integer> bestOfN;

  @Option(names = "--sft-examples", description = "SFT examples (default 256; --quick 128).")
  Integer sftExamples;

  @Option(names = "--prompt-tokens", description = "Prompt tokens (default 16).")
  Integer promptTokens;

  @Option(names = "--response-tokens", description = "Response tokens (default 16).")
  Integer responseTokens;

  @Option(names = "--d-model", description = "Model width (default 32).")
  Integer dModel;

  @Option(names = "--layers", description = "Layers (default 1).")
  Integer layers;

  @Option(names = "--sft-epochs", description = "SFT passes (default 10; --quick 6).")
  Integer sftEpochs;

  @Option(names = "--rm-epochs", description = "Passes of each proxy over its pairs (default 4).")
  Integer rmEpochs;

  @Option(names = "--ppo-iterations", description = "PPO iterations per reward (default 24; --quick 9).")
  Integer ppoIterations;

  @Option(names = "--ppo-batch", description = "Prompts per PPO iteration (default 8).")
  Integer ppoBatch;

  @Option(names = "--eval-every", description = "PPO iterations between measurements (default 3).")
  Integer evalEvery;

  @Option(names = "--eval-prompts", description = "Held-out prompts of each measurement and of best-of-n "
      + "(default 24; --quick 12).")
  Integer evalPrompts;

  @Option(names = "--kl-coef", description = "PPO's KL penalty to the SFT policy (default 0: the KL is measured, "
      + "not penalised, as in Gao et al.'s main runs).")
  Double klCoef;

  @Option(names = "--lr", description = "Peak learning rate of SFT and the proxies (default 3e-3).")
  Double learningRate;

  @Option(names = "--ppo-lr", description = "PPO's learning rate (default 1e-3).")
  Double ppoLearningRate;

  @Override
  public Integer call() {
    OveroptimizationConfig.Builder b = quick ? OveroptimizationConfig.quick() : OveroptimizationConfig.builder();
    b.seed(study.seed).outputDir(output);
    StudyOptions.ifGiven(pairCounts, b::pairCounts);
    StudyOptions.ifGiven(ensembleSize, b::ensembleSize);
    StudyOptions.ifGiven(ensemblePairs, b::ensemblePairs);
    StudyOptions.ifGiven(ensembleK, b::ensembleK);
    StudyOptions.ifGiven(bestOfN, b::bestOfN);
    StudyOptions.ifGiven(sftExamples, b::sftExamples);
    StudyOptions.ifGiven(promptTokens, b::promptTokens);
    StudyOptions.ifGiven(responseTokens, b::responseTokens);
    StudyOptions.ifGiven(dModel, b::dModel);
    StudyOptions.ifGiven(layers, b::layers);
    StudyOptions.ifGiven(sftEpochs, b::sftEpochs);
    StudyOptions.ifGiven(rmEpochs, b::rmEpochs);
    StudyOptions.ifGiven(ppoIterations, b::ppoIterations);
    StudyOptions.ifGiven(ppoBatch, b::ppoBatch);
    StudyOptions.ifGiven(evalEvery, b::evalEvery);
    StudyOptions.ifGiven(evalPrompts, b::evalPrompts);
    StudyOptions.ifGiven(klCoef, b::klCoef);
    StudyOptions.ifGiven(learningRate, b::learningRate);
    StudyOptions.ifGiven(ppoLearningRate, b::ppoLearningRate);
    OveroptimizationConfig config = b.build();
    OutputGuard.directory("--output", output);
    OutputGuard.file("--output", output.resolve("study.html"), OwnOutput.OVEROPT_STUDY_HTML, overwrite);
    OutputGuard.file("--output", output.resolve("study.json"), OwnOutput.OVEROPT_STUDY_JSON, overwrite);
    OveroptimizationResult result = OveroptimizationStudy.run(config, study.progress());
    study.print(spec, () -> OveroptimizationReport.toJson(result, false), () -> OveroptimizationReport.table(result));
    return 0;
  }

}
