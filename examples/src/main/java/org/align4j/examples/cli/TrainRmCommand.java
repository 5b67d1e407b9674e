package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.Datasets;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.data.TrainTestSplit;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.train.RewardEvalMetrics;
import org.align4j.rewardmodel.train.RewardTrainer;
import org.align4j.rewardmodel.train.RewardTrainerConfig;
import org.align4j.rewardmodel.train.RewardTrainingResult;
import org.align4j.rewardmodel.train.SyntheticPreferences;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j train-rm}: trains a Bradley-Terry reward model on preference pairs and saves it. */
@Command(name = "train-rm", mixinStandardHelpOptions = true,
    description = "Train a transformer reward model (Bradley-Terry) on preference pairs, initialised from a "
        + "language-model checkpoint or fresh, and save it.")
public final class TrainRmCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", paramLabel = "PATH",
      description = "JSONL preference pairs ({\"prompt\",\"chosen\",\"rejected\"} per line, optional \"id\", "
          + "\"category\", \"margin\"). Default: synthetic pairs (see --synthetic).")
  Path data;

  @Option(names = "--synthetic", paramLabel = "KIND",
      description = "Synthetic pairs when no --data is given, the better response ending with '!': balanced "
          + "(length says nothing: half the chosen responses are the shorter) or better-and-longer (the chosen "
          + "response is always longer and better in a fraction --quality-rate of the pairs: trains a "
          + "length-biased reward model) (default: balanced).")
  String synthetic;

  @Option(names = "--quality-rate", defaultValue = "0.6",
      description = "For --synthetic better-and-longer: the fraction of pairs whose chosen response is also better "
          + "(default: ${DEFAULT-VALUE}).")
  double qualityRate;

  @Option(names = "--examples", paramLabel = "N", defaultValue = "512",
      description = "Synthetic pairs when no --data is given (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--init", paramLabel = "PATH",
      description = "Language-model checkpoint (from train-lm) to initialise the transformer from. Default: a "
          + "fresh byte-level model of the size given by --context, --d-model, --heads and --layers.")
  Path init;

  @Option(names = "--output", paramLabel = "PATH", defaultValue = "align4j-out/reward-model",
      description = "Reward-model directory, or a .zip file (default: ${DEFAULT-VALUE}). Must not exist, or be "
          + "an align4j checkpoint and --overwrite given.")
  Path output;

  @Option(names = "--overwrite",
      description = "Replace an existing align4j checkpoint at --output. Anything else there is never replaced.")
  boolean overwrite;


  @Option(names = "--context", defaultValue = "64", description = "Context length (default: ${DEFAULT-VALUE}).")
  int context;

  @Option(names = "--d-model", defaultValue = "32", description = "Model width (default: ${DEFAULT-VALUE}).")
  int dModel;

  @Option(names = "--heads", defaultValue = "2", description = "Attention heads (default: ${DEFAULT-VALUE}).")
  int heads;

  @Option(names = "--layers", defaultValue = "1", description = "Layers (default: ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--batch-size", defaultValue = "16",
      description = "Pairs per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Mixin EpochOptions length;

  @Mixin OptimizerOptions optimizer = new OptimizerOptions(1e-3, 0, 0, 1.0);

  @Mixin PrivacyOptions privacy;

  @Option(names = "--center-coef", defaultValue = "0",
      description = "Reward-centring coefficient, e.g. 0.01 (default: ${DEFAULT-VALUE} = off).")
  double centerCoefficient;

  @Option(names = "--eval-fraction", defaultValue = "0.1",
      description = "Fraction of pairs held out for evaluation, 0 for none (default: ${DEFAULT-VALUE}).")
  double evalFraction;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin ProgressOptions progress;

  @Option(names = "--json", description = "Print one JSON object with the results.")
  boolean json;

  @Override
  public Integer call() {
    OutputGuard.checkpoint("--output", output, overwrite);
    Args.inClosedOpen("--eval-fraction", evalFraction, 0, 1);
    privacy.check();
    if (privacy.enabled() && centerCoefficient != 0) {
      throw new IllegalArgumentException("--center-coef " + centerCoefficient + " is not offered with --dp-* "
          + "options (private reward training has no centring term)");
    }
    RewardTrainerConfig config = length.applyTo(RewardTrainerConfig.builder().batchSize(batchSize))
        .optimizer(optimizer.settings()).centerRewardsCoefficient(centerCoefficient)
        .privacy(privacy.settings(batchSize)).seed(seed).build();
    TransformerRewardModel model = init != null
        ? TransformerRewardModel.fromLanguageModel(CheckpointArgs.languageModel("--init", init), seed)
        : TransformerRewardModel.create(TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
            .contextLength(context).dModel(dModel).heads(heads).layers(layers).build(), ByteTokenizer.INSTANCE, seed);
    TrainTestSplit<PreferencePair> split = Datasets.split(pairs(), evalFraction, seed);
    Dataset<PreferencePair> eval = isEmpty(split.test()) ? null : split.test();
    long trainPairs;
    try (Stream<PreferencePair> s = split.train().stream()) {
      trainPairs = s.count();
    }
    if (privacy.enabled()) {
      privacy.checkDataSize(trainPairs, batchSize, "pairs");
    }
    TrainingListener[] listeners = progress.listeners("rm");
    RewardTrainingResult result = new RewardTrainer(config, listeners).train(model, split.train(), eval);
    result.model().save(output);

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("reward_model", output.toString());
    summary.put("initialised_from", init == null ? "fresh" : init.toString());
    summary.put("train_pairs", trainPairs);
    summary.put("steps", result.steps());
    summary.put("final_loss", result.finalLoss());
    RewardEvalMetrics last = result.finalEvaluation().orElse(null);
    summary.put("eval_pairs", last == null ? 0 : last.pairs());
    summary.put("eval_loss", last == null ? null : last.loss());
    summary.put("eval_accuracy", last == null ? null : last.accuracy());
    summary.put("eval_margin", last == null ? null : last.metrics().margin());
    summary.put("truncated_pairs", result.truncatedPairs());
    summary.put("tokens_per_second", result.tokensPerSecond());
    result.privacy().ifPresent(spent -> PrivacyOptions.putSpent(summary, spent));
    summary.put("data_sha256", result.model().provenance().dataSha256());
    Output.print(spec, json, summary);
    return 0;
  }

  private Dataset<PreferencePair> pairs() {
    if (data == null) {
      Args.positive("--examples", examples);
      Args.inClosed("--quality-rate", qualityRate, 0, 1);
      return switch (synthetic == null ? "balanced" : synthetic) {
        case "balanced" -> SyntheticPreferences.lengthBalanced(examples, seed);
        case "better-and-longer" -> SyntheticPreferences.betterAndLonger(examples, qualityRate, seed);
        default -> throw new IllegalArgumentException("--synthetic must be balanced or better-and-longer, got "
            + synthetic);
      };
    }
    if (synthetic != null) {
      throw new IllegalArgumentException("give --data or --synthetic, not both");
    }
    InputFiles.requireFile("--data", data);
    return JsonlDatasets.preferencePairs(data);
  }

  private static boolean isEmpty(Dataset<PreferencePair> d) {
    try (Stream<PreferencePair> s = d.stream()) {
      return s.findAny().isEmpty();
    }
  }
}
