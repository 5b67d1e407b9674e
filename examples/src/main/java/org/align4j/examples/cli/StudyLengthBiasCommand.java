package org.align4j.examples.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.align4j.examples.study.LengthBiasConfig;
import org.align4j.examples.study.LengthBiasReport;
import org.align4j.examples.study.LengthBiasResult;
import org.align4j.examples.study.LengthBiasStudy;
import picocli.CommandLine.Command;
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

  @Option(names = "--seed", defaultValue = "7", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object with the whole study.")
  boolean json;

  @Option(names = "--quiet", description = "No progress on standard error.")
  boolean quiet;

  @Override
  public Integer call() {
    LengthBiasConfig.Builder b = quick ? LengthBiasConfig.quick() : LengthBiasConfig.builder();
    b.seed(seed).outputDir(output);
    set(lengthBias, b::lengthBias);
    set(sftExamples, b::sftExamples);
    set(rmPairs, b::rmPairs);
    set(calibrationPairs, b::calibrationPairs);
    set(dModel, b::dModel);
    set(layers, b::layers);
    set(sftEpochs, b::sftEpochs);
    set(rmEpochs, b::rmEpochs);
    set(responseTokens, b::responseTokens);
    set(ppoIterations, b::ppoIterations);
    set(ppoBatch, b::ppoBatch);
    set(ppoEpochs, b::ppoEpochs);
    set(klCoef, b::klCoef);
    set(dpoPrompts, b::dpoPrompts);
    set(dpoSamples, b::dpoSamples);
    set(dpoEpochs, b::dpoEpochs);
    set(evalPrompts, b::evalPrompts);
    LengthBiasConfig config = b.build();
    OutputGuard.directory("--output-dir", output);
    OutputGuard.file("--output-dir", output.resolve("study.html"), OwnOutput.LENGTH_STUDY_HTML, overwrite);
    OutputGuard.file("--output-dir", output.resolve("study.json"), OwnOutput.LENGTH_STUDY_JSON, overwrite);
    LengthBiasResult result = LengthBiasStudy.run(config,
        quiet ? new PrintStream(OutputStream.nullOutputStream()) : new PrintStream(System.err, true));
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? LengthBiasReport.toJson(result, false) + "\n" : LengthBiasReport.table(result));
    out.flush();
    return 0;
  }

  private static <T> void set(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
