package org.align4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.data.TextExample;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.pairs.BestWorstPairs;
import org.align4j.rewardmodel.pairs.ResponseSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j make-pairs}: samples K responses per prompt from a policy (seeded), scores them with a reward
 * (optionally calibrated) and writes the best and worst of each prompt as a preference pair that {@code dpo} reads.
 */
@Command(name = "make-pairs", mixinStandardHelpOptions = true,
    description = "Sample --samples responses per prompt from a policy, score them with a reward (calibrated with "
        + "--calibration) and write the best and worst as JSONL preference pairs for dpo --data. Prompts whose "
        + "samples all score the same give no pair.")
public final class MakePairsCommand implements Callable<Integer> {

  /** The key and value that mark a file written by this command. */
  static final String MARK = "\"made_by\":\"align4j make-pairs\"";

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--policy", required = true, paramLabel = "CKPT", description = "The policy's checkpoint.")
  Path policy;

  @Option(names = "--reward", required = true, paramLabel = "REWARD",
      description = "A reward-model checkpoint (from train-rm), length or pattern:REGEX.")
  String reward;

  @Option(names = "--calibration", paramLabel = "FILE",
      description = "A calibration saved by calibrate --save, fitted on --reward's scores: pairs are chosen by the "
          + "calibrated reward. A calibration of another reward model or length unit is refused.")
  Path calibration;

  @Option(names = "--samples", defaultValue = "4", paramLabel = "K",
      description = "Responses sampled per prompt, at least 2 (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--prompts", paramLabel = "PATH",
      description = "JSONL prompts, {\"prompt\": ...} or {\"text\": ...} per line. Default: prefixes of the "
          + "embedded synthetic code corpus's examples, as ppo uses.")
  Path prompts;

  @Option(names = "--prompt-chars", defaultValue = "8",
      description = "Length of the default prompts (default: ${DEFAULT-VALUE}).")
  int promptChars;

  @Option(names = "--examples", defaultValue = "32",
      description = "Embedded examples cut into default prompts (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--max-new-tokens", defaultValue = "16",
      description = "Most tokens per response (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--temperature", defaultValue = "1.0",
      description = "Sampling temperature, > 0 (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the sampling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--output", paramLabel = "FILE", defaultValue = "align4j-out/pairs.jsonl",
      description = "The pairs (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--overwrite", description = "Replace an existing --output written by an earlier make-pairs.")
  boolean overwrite;

  @Option(names = "--json", description = "Print one JSON object with the results.")
  boolean json;

  @Override
  public Integer call() {
    if (samples < 2) {
      throw new IllegalArgumentException("--samples must be at least 2, got " + samples);
    }
    Args.positive("--max-new-tokens", maxNewTokens);
    Args.positive("--temperature", temperature);
    OutputGuard.file("--output", output, OwnOutput.MADE_PAIRS_JSONL, overwrite);
    RewardModel rewardModel = RewardArgs.reward("--reward", reward, calibration);
    TransformerLm lm = CheckpointArgs.languageModel("--policy", policy);
    Dataset<TextExample> promptData = prompts != null ? PpoCommand.readPrompts(prompts)
        : PpoCommand.defaultPrompts(promptChars, examples, seed);
    List<TextExample> list = promptData.toList();
    if (list.isEmpty()) {
      throw new IllegalArgumentException("no prompts in " + promptData.name());
    }
    List<String> texts = list.stream().map(TextExample::text).toList();
    List<List<String>> sampled = ResponseSampler.sample(lm, texts, samples,
        GenerationConfig.sampling(maxNewTokens, temperature, seed));
    BestWorstPairs.Result result;
    try {
      result = BestWorstPairs.make(list.stream().map(TextExample::id).toList(), texts, sampled, rewardModel,
          "--reward " + reward);
    } catch (IllegalArgumentException e) {
      throw e.getMessage() != null && e.getMessage().startsWith("--reward") ? e
          : new IllegalArgumentException("--reward " + reward + ": " + e.getMessage(), e);
    }
    if (result.pairs().isEmpty()) {
      throw new IllegalArgumentException("every prompt's " + samples + " samples scored the same under " + reward
          + "; no pairs to write (try more --samples or a higher --temperature)");
    }
    write(result);

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("output", output.toString());
    summary.put("policy", policy.toString());
    summary.put("reward", reward);
    summary.put("calibration", calibration == null ? null : calibration.toString());
    summary.put("prompts", list.size());
    summary.put("samples", samples);
    summary.put("pairs", result.pairs().size());
    summary.put("skipped_prompts", result.skipped());
    summary.put("mean_chosen_reward", mean(result.chosenRewards()));
    summary.put("mean_rejected_reward", mean(result.rejectedRewards()));
    summary.put("mean_chosen_chars", result.pairs().stream().mapToInt(p -> p.chosen().length()).average()
        .orElseThrow());
    summary.put("mean_rejected_chars", result.pairs().stream().mapToInt(p -> p.rejected().length()).average()
        .orElseThrow());
    Output.print(spec, json, summary);
    return 0;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** One JSON object a line: id, prompt, chosen, rejected, margin, the two rewards and the mark. */
  private void write(BestWorstPairs.Result result) {
    AtomicFiles.write(output, out -> {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      for (int i = 0; i < result.pairs().size(); i++) {
        PreferencePair p = result.pairs().get(i);
        ObjectNode n = JSON.createObjectNode();
        n.put("id", p.id());
        n.put("made_by", "align4j make-pairs");
        n.put("prompt", p.prompt());
        n.put("chosen", p.chosen());
        n.put("rejected", p.rejected());
        n.put("margin", p.margin().orElseThrow());
        n.put("chosen_reward", result.chosenRewards()[i]);
        n.put("rejected_reward", result.rejectedRewards()[i]);
        w.write(JSON.writeValueAsString(n));
        w.write('\n');
      }
      w.flush();
    });
  }
}
