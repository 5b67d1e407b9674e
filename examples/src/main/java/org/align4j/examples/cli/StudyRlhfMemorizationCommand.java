package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.align4j.examples.study.RlhfMemorizationConfig;
import org.align4j.examples.study.RlhfMemorizationResult;
import org.align4j.examples.study.RlhfMemorizationStudy;
import org.align4j.examples.study.StudyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j study rlhf-memorization}: memorization through SFT, RLHF (PPO) and IPO (Pappu et al. 2024). */
@Command(name = "rlhf-memorization", mixinStandardHelpOptions = true,
    description = "Train SFT, control, reward, PPO (one per --kl-coef), IPO and direct fine-tuning models on "
        + "disjoint splits of a code corpus, audit every model on every split, and say whether the findings of "
        + "Pappu et al. 2024 held in this run. Progress goes to standard error.")
public final class StudyRlhfMemorizationCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin StudyOptions study;

  @Option(names = "--quick", description = "The same protocol, smaller (16 examples per split, context 48; "
      + "about 1 minute on 2 idle cores).")
  boolean quick;

  @Option(names = "--data", paramLabel = "JSONL",
      description = "Text corpus ({\"id\", \"text\"} per line, optional \"duplicates\") instead of the embedded "
          + "synthetic code corpus.")
  Path data;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = "align4j-out/study-rlhf-memorization",
      description = "Checkpoints, study.html and study.json (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--resume", description = "Load the stages already saved under --output instead of training "
      + "them again (after an interruption).")
  boolean resume;

  @Option(names = "--kl-coef", split = ",", paramLabel = "K",
      description = "PPO KL coefficients, one PPO model each (default: 0.01,0.1,1).")
  List<Double> klCoefs;

  @Option(names = "--split-size", description = "Unique examples per split (default 48; --quick 16).")
  Integer splitSize;

  @Option(names = "--max-duplicates", description = "Largest duplication count (default 16; --quick 8).")
  Integer maxDuplicates;

  @Option(names = "--context", description = "Context length (default 64; --quick 48).")
  Integer context;

  @Option(names = "--d-model", description = "Model width (default 64; --quick 48).")
  Integer dModel;

  @Option(names = "--layers", description = "Layers (default 2).")
  Integer layers;

  @Option(names = "--prefix-tokens", description = "Prompt tokens (default 24; --quick 16).")
  Integer prefixTokens;

  @Option(names = "--suffix-tokens", description = "Target and response tokens (default 32; --quick 24).")
  Integer suffixTokens;

  @Option(names = "--sft-epochs", description = "Epochs of SFT, control and direct fine-tuning (default: "
      + "16).")
  Integer sftEpochs;

  @Option(names = "--ppo-iterations", description = "PPO iterations (default 12; --quick 4).")
  Integer ppoIterations;

  @Option(names = "--ipo-epochs", description = "IPO epochs (default 3; --quick 2).")
  Integer ipoEpochs;

  @Option(names = "--threads", description = "Audit threads (default: one per core).")
  Integer threads;

  @Override
  public Integer call() {
    RlhfMemorizationConfig.Builder b = quick ? RlhfMemorizationConfig.quick() : RlhfMemorizationConfig.builder();
    b.seed(study.seed).data(data).outputDir(output).resume(resume);
    StudyOptions.ifGiven(klCoefs, b::klCoefs);
    StudyOptions.ifGiven(splitSize, b::splitSize);
    StudyOptions.ifGiven(maxDuplicates, b::maxDuplicates);
    StudyOptions.ifGiven(context, b::contextLength);
    StudyOptions.ifGiven(dModel, b::dModel);
    StudyOptions.ifGiven(layers, b::layers);
    StudyOptions.ifGiven(prefixTokens, b::prefixTokens);
    StudyOptions.ifGiven(suffixTokens, b::suffixTokens);
    StudyOptions.ifGiven(sftEpochs, b::sftEpochs);
    StudyOptions.ifGiven(ppoIterations, b::ppoIterations);
    StudyOptions.ifGiven(ipoEpochs, b::ipoEpochs);
    StudyOptions.ifGiven(threads, b::threads);
    RlhfMemorizationConfig config = b.build();
    RlhfMemorizationResult result = RlhfMemorizationStudy.run(config, study.progress());
    study.print(spec, () -> StudyReport.toJson(result, false), () -> StudyReport.table(result));
    return 0;
  }
}
