package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.align4j.examples.study.LengthBiasConfig;
import org.align4j.examples.study.LengthBiasReport;
import org.align4j.examples.study.LengthBiasResult;
import org.align4j.examples.study.LengthBiasStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j study length-bias}: a length-biased reward model, raw and calibrated, in PPO and DPO. */
@Command(name = "length-bias", mixinStandardHelpOptions = true,
    description = "Train a reward model on preferences from a length-biased labeller (the gold reward ignores "
        + "length), calibrate it (RC-LWR), then from one SFT model run PPO and DPO (best/worst pairs) with the raw "
        + "and with the calibrated reward; report response length over training, gold reward, raw and "
        + "length-controlled win rates against SFT, and how well each reward ranks the policies. Progress goes to "
        + "standard error.")
public final class StudyLengthBiasCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin StudyOptions study;

  @Option(names = "--quick", description = "The same protocol, smaller (width 16, 6 PPO iterations of 8 prompts, "
      + "fewer pairs and prompts; 21 s measured on 2 lightly loaded cores, 5 min under heavy load).")
  boolean quick;

  @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "align4j-out/study-length-bias",
      description = "Where study.html and study.json go (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--overwrite", description = "Replace study.html and study.json of an earlier run.")
  boolean overwrite;

  @Option(names = "--length-bias", paramLabel = "P",
      description = "Probability that the labeller prefers the longer response over the better one (default 0.6).")
  Double lengthBias;

  @Option(names = "--sft-examples", description = "SFT texts (default 320; --quick 256).")
  Integer sftExamples;

  @Option(names = "--rm-pairs", description = "Labelled pairs for the reward model (default 320; --quick 256).")
  Integer rmPairs;

  @Option(names = "--calibration-pairs", description = "Held-out pairs the calibration is fitted on (default 128; "
      + "--quick 64).")
  Integer calibrationPairs;

  @Option(names = "--d-model", description = "Model width, a multiple of 4 (default 32; --quick 16).")
  Integer dModel;

  @Option(names = "--layers", description = "Layers (default 1).")
  Integer layers;

  @Option(names = "--sft-epochs", description = "SFT passes (default 6; --quick 6).")
  Integer sftEpochs;

  @Option(names = "--rm-epochs", description = "Reward-model passes (default 3; --quick 2).")
  Integer rmEpochs;

  @Option(names = "--response-tokens", description = "Most tokens per response (default 24; --quick 20).")
  Integer responseTokens;

  @Option(names = "--ppo-iterations", description = "PPO iterations (default 12; --quick 6).")
  Integer ppoIterations;

  @Option(names = "--ppo-batch", description = "Prompts per PPO rollout (default 16; --quick 8).")
  Integer ppoBatch;

  @Option(names = "--ppo-epochs", description = "PPO passes per rollout (default 2).")
  Integer ppoEpochs;

  @Option(names = "--kl-coef", description = "PPO's KL penalty to the SFT model (default 0.05).")
  Double klCoef;

  @Option(names = "--dpo-prompts", description = "Prompts sampled for DPO pairs (default 64; --quick 32).")
  Integer dpoPrompts;

  @Option(names = "--dpo-samples", description = "Responses per prompt, best and worst make a pair (default 4).")
  Integer dpoSamples;

  @Option(names = "--dpo-epochs", description = "DPO passes (default 2; --quick 1).")
  Integer dpoEpochs;

  @Option(names = "--eval-prompts", description = "Held-out prompts every policy answers (default 96; --quick 48).")
  Integer evalPrompts;

  @Override
  public Integer call() {
    LengthBiasConfig.Builder b = quick ? LengthBiasConfig.quick() : LengthBiasConfig.builder();
    b.seed(study.seed).outputDir(output);
    StudyOptions.ifGiven(lengthBias, b::lengthBias);
    StudyOptions.ifGiven(sftExamples, b::sftExamples);
    StudyOptions.ifGiven(rmPairs, b::rmPairs);
    StudyOptions.ifGiven(calibrationPairs, b::calibrationPairs);
    StudyOptions.ifGiven(dModel, b::dModel);
    StudyOptions.ifGiven(layers, b::layers);
    StudyOptions.ifGiven(sftEpochs, b::sftEpochs);
    StudyOptions.ifGiven(rmEpochs, b::rmEpochs);
    StudyOptions.ifGiven(responseTokens, b::responseTokens);
    StudyOptions.ifGiven(ppoIterations, b::ppoIterations);
    StudyOptions.ifGiven(ppoBatch, b::ppoBatch);
    StudyOptions.ifGiven(ppoEpochs, b::ppoEpochs);
    StudyOptions.ifGiven(klCoef, b::klCoef);
    StudyOptions.ifGiven(dpoPrompts, b::dpoPrompts);
    StudyOptions.ifGiven(dpoSamples, b::dpoSamples);
    StudyOptions.ifGiven(dpoEpochs, b::dpoEpochs);
    StudyOptions.ifGiven(evalPrompts, b::evalPrompts);
    LengthBiasConfig config = b.build();
    OutputGuard.directory("--output-dir", output);
    OutputGuard.file("--output-dir", output.resolve("study.html"), OwnOutput.LENGTH_STUDY_HTML, overwrite);
    OutputGuard.file("--output-dir", output.resolve("study.json"), OwnOutput.LENGTH_STUDY_JSON, overwrite);
    LengthBiasResult result = LengthBiasStudy.run(config, study.progress());
    study.print(spec, () -> LengthBiasReport.toJson(result, false), () -> LengthBiasReport.table(result));
    return 0;
  }

}
