package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.Datasets;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.data.TrainTestSplit;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.util.Args;
import org.align4j.optimizers.dpo.DpoConfig;
import org.align4j.optimizers.dpo.DpoEvalMetrics;
import org.align4j.optimizers.dpo.DpoResult;
import org.align4j.optimizers.dpo.DpoTrainer;
import org.align4j.optimizers.preference.DpoMetrics;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.align4j.optimizers.preference.PreferenceLossType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j dpo}: trains a policy on preference pairs with a loss of the DPO family and saves a checkpoint. */
@Command(name = "dpo", mixinStandardHelpOptions = true,
    description = "Train a policy on preference pairs with DPO (or IPO, hinge, ...) against a frozen reference "
        + "and save a checkpoint. Default: a freshly initialised tiny model on synthetic pairs cut from the "
        + "embedded code corpus (chosen = the true continuation, rejected = a shuffled one).")
public final class DpoCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--policy", paramLabel = "CKPT",
      description = "Policy checkpoint to start from. Default: a freshly initialised tiny byte-level model.")
  Path policy;

  @Option(names = "--reference", paramLabel = "CKPT",
      description = "Reference checkpoint. Default: the policy as it is before training.")
  Path reference;

  @Option(names = "--data", paramLabel = "PATH",
      description = "JSONL preference pairs ({\"prompt\",\"chosen\",\"rejected\"} per line). "
          + "Default: synthetic pairs from the embedded corpus.")
  Path data;

  @Option(names = "--pairs", defaultValue = "64",
      description = "Synthetic pairs when no --data is given (default: ${DEFAULT-VALUE}).")
  int pairs;

  @Option(names = "--prompt-chars", defaultValue = "32",
      description = "Prompt length of the synthetic pairs (default: ${DEFAULT-VALUE}).")
  int promptChars;

  @Option(names = "--response-chars", defaultValue = "24",
      description = "Response length of the synthetic pairs (default: ${DEFAULT-VALUE}).")
  int responseChars;

  @Option(names = "--loss", defaultValue = "sigmoid",
      description = "sigmoid (DPO), ipo, hinge, robust, cdpo, exo_pair, nca_pair, bco_pair, sppo_hard, apo_zero, "
          + "apo_down, discopop or sigmoid_norm (default: ${DEFAULT-VALUE}). Not trainable here: aot and "
          + "aot_unpaired, which sort over the batch (their values come from PreferenceLoss in code).")
  String loss;

  @Option(names = "--beta", defaultValue = "0.1", description = "Beta (default: ${DEFAULT-VALUE}).")
  double beta;

  @Option(names = "--label-smoothing", defaultValue = "0",
      description = "Label smoothing for robust, cdpo and exo_pair (default: ${DEFAULT-VALUE}).")
  double labelSmoothing;

  @Option(names = "--reference-free", description = "Drop the reference model (log-probabilities taken as 0).")
  boolean referenceFree;

  @Option(names = "--batch-size", defaultValue = "8", description = "Pairs per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Mixin EpochOptions length;

  @Mixin OptimizerOptions optimizer = new OptimizerOptions(5e-4, 0, 0, 1.0);

  @Mixin PrivacyOptions privacy;

  @Option(names = "--eval-fraction", defaultValue = "0.1",
      description = "Fraction of pairs held out for evaluation, 0 for none (default: ${DEFAULT-VALUE}).")
  double evalFraction;

  @Option(names = "--reference-cache", paramLabel = "FILE",
      description = "Cache file for the reference log-probabilities (reused while data and reference match).")
  Path referenceCache;

  @Option(names = "--output", paramLabel = "PATH", defaultValue = "align4j-out/dpo-model",
      description = "Checkpoint directory, or a .zip file (default: ${DEFAULT-VALUE}). Must not exist, or be "
          + "an align4j checkpoint and --overwrite given.")
  Path output;

  @Option(names = "--overwrite",
      description = "Replace an existing align4j checkpoint at --output. Anything else there is never replaced.")
  boolean overwrite;

  @Mixin FreshModelOptions freshModel;

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
    if (privacy.enabled() && referenceCache != null) {
      throw new IllegalArgumentException("--reference-cache " + referenceCache + " is not used with --dp-* options "
          + "(private DPO computes the reference log-probabilities once in memory)");
    }
    PreferenceLoss preferenceLoss = PreferenceLoss.builder().type(lossType(loss)).beta(beta)
        .labelSmoothing(labelSmoothing).referenceFree(referenceFree).build();
    DpoConfig config = length.applyTo(DpoConfig.builder().loss(preferenceLoss).batchSize(batchSize))
        .optimizer(optimizer.settings()).privacy(privacy.settings(batchSize)).seed(seed)
        .referenceCache(referenceCache).build();
    Dataset<PreferencePair> all = data == null
        ? SyntheticPreferences.generate(pairs, promptChars, responseChars, seed) : loadPairs(data);
    TrainTestSplit<PreferencePair> split = Datasets.split(all, evalFraction, seed);
    long trainPairs = count(split.train());
    long evalPairs = count(split.test());
    if (trainPairs == 0) {
      throw new IllegalArgumentException("no training pairs in " + all.name() + " after holding out "
          + evalFraction + " for evaluation");
    }
    if (privacy.enabled()) {
      privacy.checkDataSize(trainPairs, batchSize, "pairs");
    }
    TransformerLm start = policy != null ? CheckpointArgs.languageModel("--policy", policy) : freshModel.create(seed);
    if (policy == null) {
      spec.commandLine().getErr().println("note: no --policy given; training a freshly initialised tiny model ("
          + start.config().parameterCount() + " parameters, context " + start.contextLength() + ")");
      spec.commandLine().getErr().flush();
    }
    TransformerLm ref = reference != null ? CheckpointArgs.languageModel("--reference", reference) : start;
    TrainingListener[] listeners = progress.listeners("dpo");
    DpoResult result = new DpoTrainer(config, listeners)
        .train(start, ref, split.train(), evalPairs == 0 ? null : split.test());
    Checkpoints.save(result.model(), output);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("checkpoint", output.toString());
    summary.put("policy", policy == null ? "fresh" : policy.toString());
    summary.put("loss", preferenceLoss.type().name().toLowerCase(Locale.ROOT));
    summary.put("beta", beta);
    summary.put("train_pairs", trainPairs);
    summary.put("eval_pairs", evalPairs);
    summary.put("steps", result.steps());
    summary.put("final_loss", result.finalLoss());
    if (!result.history().isEmpty()) {
      // a private run has no per-step preference metrics
      DpoMetrics last = result.history().get(result.history().size() - 1).preference();
      summary.put("train_accuracy", last.accuracy());
      summary.put("train_margin", last.margin());
    }
    result.lastEvaluation().ifPresent(e -> putEval(summary, e));
    summary.put("truncated_pairs", result.truncatedPairs());
    summary.put("reference_from_cache", result.referenceFromCache());
    summary.put("tokens_per_second", result.tokensPerSecond());
    result.privacy().ifPresent(spent -> PrivacyOptions.putSpent(summary, spent));
    summary.put("data_sha256", result.model().provenance().dataSha256());
    Output.print(spec, json, summary);
    return 0;
  }

  private static void putEval(Map<String, Object> summary, DpoEvalMetrics e) {
    summary.put("eval_loss", e.loss());
    summary.put("eval_accuracy", e.preference().accuracy());
    summary.put("eval_margin", e.preference().margin());
    summary.put("eval_rewards_chosen", e.preference().rewardsChosen());
    summary.put("eval_rewards_rejected", e.preference().rewardsRejected());
  }

  private static Dataset<PreferencePair> loadPairs(Path path) {
    InputFiles.requireFile("--data", path);
    return JsonlDatasets.preferencePairs(path);
  }

  private static long count(Dataset<PreferencePair> d) {
    try (Stream<PreferencePair> s = d.stream()) {
      return s.count();
    }
  }

  static PreferenceLossType lossType(String name) {
    String upper = name.toUpperCase(Locale.ROOT).replace('-', '_');
    for (PreferenceLossType t : PreferenceLossType.values()) {
      if (t.name().equals(upper)) {
        return t;
      }
    }
    throw new IllegalArgumentException("--loss must be one of " + Arrays.stream(PreferenceLossType.values())
        .map(t -> t.name().toLowerCase(Locale.ROOT)).toList() + ", got " + name);
  }
}
