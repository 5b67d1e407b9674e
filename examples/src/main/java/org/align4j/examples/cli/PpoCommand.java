package org.align4j.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.DataFormatException;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.data.TextLines;
import org.align4j.core.data.synthetic.SyntheticCodeCorpus;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.train.OptimizerSettings;
import org.align4j.core.train.TrainingListener;
import org.align4j.examples.study.DpAlignmentStudy;
import org.align4j.optimizers.ppo.AdvantageEstimator;
import org.align4j.optimizers.ppo.PpoConfig;
import org.align4j.optimizers.ppo.PpoMetrics;
import org.align4j.optimizers.ppo.PpoResult;
import org.align4j.optimizers.ppo.PpoTrainer;
import org.align4j.optimizers.rl.KlEstimator;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.calibration.CalibratedRewardModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j ppo}: reinforcement learning of a policy from a reward, saving a checkpoint. */
@Command(name = "ppo", mixinStandardHelpOptions = true,
    description = "Train a policy with PPO (or GRPO/RLOO) against a reward and save a checkpoint. Defaults: a "
        + "fresh tiny byte-level model, prompts cut from the embedded synthetic code corpus.")
public final class PpoCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--policy", paramLabel = "CKPT",
      description = "Policy checkpoint (directory or zip). Default: a fresh model of the --context, --d-model, "
          + "--heads and --layers given.")
  Path policy;

  @Option(names = "--reward", defaultValue = "pattern:[a-z]", paramLabel = "REWARD",
      description = "A reward-model checkpoint (directory or zip, from train-rm), length (response "
          + "characters) or pattern:REGEX (fraction of characters matched) (default: ${DEFAULT-VALUE}).")
  String reward;

  @Option(names = "--calibration", paramLabel = "FILE",
      description = "A calibration saved by calibrate --save, fitted on --reward's scores: the policy sees the "
          + "calibrated reward. A calibration of another reward model or length unit is refused.")
  Path calibration;

  @Option(names = "--prompts", paramLabel = "PATH",
      description = "JSONL prompts, {\"prompt\": ...} or {\"text\": ...} per line. Default: the first "
          + "--prompt-chars characters of the embedded synthetic code corpus's examples.")
  Path prompts;

  @Option(names = "--prompt-chars", defaultValue = "8",
      description = "Length of the default prompts (default: ${DEFAULT-VALUE}).")
  int promptChars;

  @Option(names = "--examples", defaultValue = "32",
      description = "Embedded examples cut into default prompts (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--output", paramLabel = "CKPT", defaultValue = "align4j-out/ppo",
      description = "Checkpoint directory, or a .zip file (default: ${DEFAULT-VALUE}). Must not exist, or be "
          + "an align4j checkpoint and --overwrite given.")
  Path output;

  @Option(names = "--overwrite",
      description = "Replace an existing align4j checkpoint at --output. Anything else there is never replaced.")
  boolean overwrite;

  @Option(names = "--estimator", defaultValue = "gae",
      description = "gae (value head), grpo or rloo (default: ${DEFAULT-VALUE}).")
  String estimator;

  @Option(names = "--iterations", defaultValue = "20", description = "Iterations (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--batch-size", defaultValue = "16", description = "Prompts per rollout (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--samples", defaultValue = "4",
      description = "Completions per prompt for grpo and rloo (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--response-length", defaultValue = "16",
      description = "Most tokens per completion (default: ${DEFAULT-VALUE}).")
  int responseLength;

  @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--ppo-epochs", defaultValue = "4", description = "Passes per rollout (default: ${DEFAULT-VALUE}).")
  int ppoEpochs;

  @Option(names = "--mini-batches", defaultValue = "1", description = "Minibatches per pass (default: ${DEFAULT-VALUE}).")
  int miniBatches;

  /** Learning rate 0.01 suits the tiny default model; warm-up applies to private PPO only. */
  @Mixin OptimizerOptions optimizer = new OptimizerOptions(0.01, 0, 0, 1.0);

  @Mixin PrivacyOptions privacy;

  @Option(names = "--kl-coef", defaultValue = "0.05",
      description = "KL coefficient, the initial one with --kl-target (default: ${DEFAULT-VALUE}).")
  double klCoef;

  @Option(names = "--kl-target", paramLabel = "KL",
      description = "Adapt the KL coefficient toward this summed per-sequence KL (default: a fixed coefficient).")
  Double klTarget;

  @Option(names = "--kl-horizon", defaultValue = "10000",
      description = "Horizon of the adaptive KL controller in samples (default: ${DEFAULT-VALUE}).")
  double klHorizon;

  @Option(names = "--kl-estimator", defaultValue = "k1", description = "k1, k2 or k3 (default: ${DEFAULT-VALUE}).")
  String klEstimator;

  @Option(names = "--missing-eos-penalty", defaultValue = "0",
      description = "Score penalty for a completion without EOS (default: ${DEFAULT-VALUE}).")
  double missingEosPenalty;

  @Option(names = "--grpo-std-epsilon", defaultValue = "1e-4", paramLabel = "EPS",
      description = "GRPO: added to the group's reward standard deviation before dividing; 1e-4 as TRL, 1e-9 as "
          + "OpenRLHF (default: ${DEFAULT-VALUE}).")
  double grpoStdEpsilon;

  @Mixin FreshModelOptions freshModel;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin ProgressOptions progress;

  @Option(names = "--json", description = "Print one JSON object with the results.")
  boolean json;

  @Override
  public Integer call() {
    OutputGuard.checkpoint("--output", output, overwrite);
    checkPrivacy();
    RewardModel rewardModel = RewardArgs.reward("--reward", reward, calibration);
    AdvantageEstimator advantages = parseEstimator();
    // a private run follows the optimizer's schedule (warm-up, cosine decay); a non-private one keeps a constant rate
    OptimizerSettings optimizerSettings = privacy.enabled() ? optimizer.settings()
        : optimizer.settings().toBuilder().minLearningRateRatio(1).build();
    PpoConfig.Builder builder = PpoConfig.builder().iterations(iterations).batchSize(batchSize)
        .responseLength(responseLength).temperature(temperature).ppoEpochs(ppoEpochs).miniBatches(miniBatches)
        .klEstimator(parseKlEstimator()).missingEosPenalty(missingEosPenalty).advantageEstimator(advantages)
        .grpoStdEpsilon(grpoStdEpsilon).optimizer(optimizerSettings).privacy(privacy.settings(batchSize)).seed(seed);
    if (!advantages.usesValueHead()) {
      builder.samplesPerPrompt(samples);
    }
    if (klTarget != null) {
      builder.adaptiveKl(klCoef, klTarget, klHorizon);
    } else {
      builder.klCoef(klCoef);
    }
    PpoConfig config = builder.build();
    TransformerLm model = withRewardHistory(
        policy != null ? CheckpointArgs.languageModel("--policy", policy) : freshModel.create(seed), rewardModel);
    Dataset<TextExample> promptData = prompts != null ? readPrompts(prompts)
        : defaultPrompts(promptChars, examples, seed);
    TrainingListener[] listeners = progress.listeners("ppo");
    if (privacy.enabled()) {
      try (Stream<TextExample> s = promptData.stream()) {
        privacy.checkDataSize(s.count(), batchSize, "prompts");
      }
    }
    PpoResult result = new PpoTrainer(config, rewardModel, listeners).train(model, promptData);
    Checkpoints.save(result.policy(), output);

    // a private run's empty samples have no rollout: the scores are those of the iterations that had one
    List<PpoMetrics> h = result.history().stream().filter(m -> !Double.isNaN(m.meanScore())).toList();
    PpoMetrics first = h.isEmpty() ? null : h.get(0);
    PpoMetrics last = h.isEmpty() ? null : h.get(h.size() - 1);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("checkpoint", output.toString());
    summary.put("reward", reward);
    summary.put("calibration", calibration == null ? null : calibration.toString());
    summary.put("estimator", advantages.name().toLowerCase(Locale.ROOT));
    summary.put("prompts", promptData.name());
    summary.put("iterations", result.history().size());
    summary.put("steps", result.steps());
    summary.put("first_mean_score", first == null ? null : first.meanScore());
    summary.put("last_mean_score", last == null ? null : last.meanScore());
    summary.put("last_mean_kl", last == null ? null : last.meanKl());
    summary.put("kl_coef", result.klController().coefficient());
    summary.put("last_mean_response_length", last == null ? null : last.meanResponseLength());
    summary.put("last_entropy", last == null ? null : last.entropy());
    result.privacy().ifPresent(spent -> {
      summary.put("final_loss", spent.finalLoss());
      PrivacyOptions.putSpent(summary, spent);
    });
    Output.print(spec, json, summary);
    return 0;
  }

  /**
   * The privacy options' own checks, and the PPO options private PPO does not take, named as options before any
   * work ({@link PpoConfig} refuses the same settings by their names).
   */
  private void checkPrivacy() {
    privacy.check();
    if (!privacy.enabled()) {
      if (optimizer.warmup != 0) {
        throw new IllegalArgumentException("--warmup " + optimizer.warmup + " applies to private ppo only (with "
            + "--dp-* options); non-private PPO keeps a constant learning rate");
      }
      return;
    }
    if (klTarget != null) {
      throw new IllegalArgumentException("--kl-target " + klTarget + " is not offered with --dp-* options (an "
          + "adaptive coefficient follows the sampled prompts' KL without noise); use --kl-coef");
    }
    if (miniBatches != 1) {
      throw new IllegalArgumentException("--mini-batches must be 1 with --dp-* options (each sampled batch is one "
          + "DP-SGD update), got " + miniBatches);
    }
  }

  /**
   * The policy with the stages of the reward model it is trained against appended to its history (those it does
   * not hold already, such as the SFT stage both come from): its outputs depend on that model's data too, so its
   * history, and the privacy ledger read from it, cover them. Programmatic rewards have no history.
   */
  static TransformerLm withRewardHistory(TransformerLm policy, RewardModel rewardModel) {
    RewardModel scored = rewardModel instanceof CalibratedRewardModel calibrated ? calibrated.base() : rewardModel;
    return scored instanceof TransformerRewardModel trained
        ? DpAlignmentStudy.withRewardHistory(policy, trained) : policy;
  }

  private AdvantageEstimator parseEstimator() {
    return switch (estimator.toLowerCase(Locale.ROOT)) {
      case "gae", "ppo" -> AdvantageEstimator.GAE;
      case "grpo" -> AdvantageEstimator.GRPO;
      case "rloo" -> AdvantageEstimator.RLOO;
      default -> throw new IllegalArgumentException("--estimator must be gae, grpo or rloo, got " + estimator);
    };
  }

  private KlEstimator parseKlEstimator() {
    return switch (klEstimator.toLowerCase(Locale.ROOT)) {
      case "k1" -> KlEstimator.K1;
      case "k2" -> KlEstimator.K2;
      case "k3" -> KlEstimator.K3;
      default -> throw new IllegalArgumentException("--kl-estimator must be k1, k2 or k3, got " + klEstimator);
    };
  }


  /** The first {@code promptChars} characters of {@code examples} examples of the embedded corpus (seeded). */
  static Dataset<TextExample> defaultPrompts(int promptChars, int examples, long seed) {
    if (promptChars < 1) {
      throw new IllegalArgumentException("--prompt-chars must be > 0, got " + promptChars);
    }
    SyntheticCodeCorpus corpus = SyntheticCodeCorpus.builder().seed(seed).uniqueExamples(examples).build();
    List<TextExample> cut = new ArrayList<>();
    try (Stream<TextExample> s = corpus.examples().stream()) {
      s.forEach(e -> cut.add(new TextExample(e.id(),
          e.text().substring(0, Math.min(promptChars, e.text().length())), Map.of())));
    }
    return listDataset("prefixes(" + promptChars + ") of " + corpus.examples().name(), cut);
  }

  /** Prompts from JSONL: each line an object with a string {@code prompt} (or {@code text}). */
  static Dataset<TextExample> readPrompts(Path path) {
    InputFiles.requireFile("--prompts", path);
    List<String> lines = TextLines.read(path);
    List<TextExample> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new DataFormatException(path.toString(), i + 1, "not valid JSON: " + e.getOriginalMessage());
      }
      JsonNode text = node != null && node.isObject() ? (node.has("prompt") ? node.get("prompt") : node.get("text"))
          : null;
      if (text == null || !text.isTextual()) {
        throw new DataFormatException(path.toString(), i + 1, "expected an object with a string \"prompt\"");
      }
      out.add(new TextExample(String.valueOf(i + 1), text.asText(), Map.of()));
    }
    return listDataset(path.getFileName().toString(), out);
  }

  private static Dataset<TextExample> listDataset(String name, List<TextExample> examples) {
    List<TextExample> copy = List.copyOf(examples);
    return new Dataset<>() {
      @Override
      public Stream<TextExample> stream() {
        return copy.stream();
      }

      @Override
      public String name() {
        return name;
      }
    };
  }
}
