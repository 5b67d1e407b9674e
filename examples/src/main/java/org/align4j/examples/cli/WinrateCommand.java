package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.pairs.ResponseSampler;
import org.align4j.rewardmodel.scoring.LengthUnit;
import org.align4j.rewardmodel.winrate.WinRate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j winrate}: the win rate of a model's responses over a baseline's on held-out prompts by a judge,
 * raw and length-controlled, with the mean response lengths.
 */
@Command(name = "winrate", mixinStandardHelpOptions = true,
    description = {"Win rate of --model over --baseline by --judge on held-out prompts: each model answers each "
        + "prompt once (same seed), the judge scores both answers; a tie counts as half a win.",
        "The length-controlled win rate (AlpacaEval-LC idea) fits a logistic model of the judge's preference on "
            + "the length difference and reports it at zero difference."})
public final class WinrateCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "CKPT", description = "The model's checkpoint.")
  Path model;

  @Option(names = "--baseline", required = true, paramLabel = "CKPT", description = "The baseline's checkpoint.")
  Path baseline;

  @Option(names = "--judge", required = true, paramLabel = "JUDGE",
      description = "A reward-model checkpoint (from train-rm), or a programmatic gold reward: length or "
          + "pattern:REGEX.")
  String judge;

  @Option(names = "--prompts", paramLabel = "PATH",
      description = "JSONL prompts, {\"prompt\": ...} or {\"text\": ...} per line. Default: prefixes of examples "
          + "of the embedded corpus generated with --prompt-seed (held out from ppo's default prompts).")
  Path prompts;

  @Option(names = "--prompt-chars", defaultValue = "8",
      description = "Length of the default prompts (default: ${DEFAULT-VALUE}).")
  int promptChars;

  @Option(names = "--examples", defaultValue = "64",
      description = "Embedded examples cut into default prompts (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--prompt-seed", defaultValue = "1000",
      description = "Seed of the default prompts' corpus (default: ${DEFAULT-VALUE}).")
  long promptSeed;

  @Option(names = "--max-new-tokens", defaultValue = "16",
      description = "Most tokens per response (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--temperature", defaultValue = "1.0",
      description = "Sampling temperature, 0 for greedy (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--length-unit", defaultValue = "tokens",
      description = "tokens (of --model's tokenizer) or chars (default: ${DEFAULT-VALUE}).")
  String lengthUnit;

  @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object with the results.")
  boolean json;

  @Override
  public Integer call() {
    Args.positive("--max-new-tokens", maxNewTokens);
    Args.nonNegative("--temperature", temperature);
    LengthUnit unit = ScoreCommand.parseUnit(lengthUnit);
    RewardModel judgeModel = BuiltInRewards.parse("--judge", judge);
    TransformerLm a = CheckpointArgs.languageModel("--model", model);
    TransformerLm b = CheckpointArgs.languageModel("--baseline", baseline);
    Dataset<TextExample> promptData = prompts != null ? PpoCommand.readPrompts(prompts)
        : PpoCommand.defaultPrompts(promptChars, examples, promptSeed);
    List<String> texts = promptData.toList().stream().map(TextExample::text).toList();
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("no prompts in " + promptData.name());
    }
    GenerationConfig config = new GenerationConfig(maxNewTokens, temperature, 0, 1, true, seed);
    List<String> answers = first(ResponseSampler.sample(a, texts, 1, config));
    List<String> baselineAnswers = first(ResponseSampler.sample(b, texts, 1, config));
    WinRate w;
    try {
      w = WinRate.judge(judgeModel, "--judge " + judge, texts, answers, baselineAnswers,
          r -> unit.measure(a.tokenizer(), r));
    } catch (IllegalArgumentException e) {
      throw e.getMessage() != null && e.getMessage().startsWith("--judge") ? e
          : new IllegalArgumentException("--judge " + judge + ": " + e.getMessage(), e);
    }

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("model", model.toString());
    summary.put("baseline", baseline.toString());
    summary.put("judge", judge);
    summary.put("prompts", w.comparisons());
    summary.put("win_rate", w.winRate());
    summary.put("lc_win_rate", w.lengthControlledWinRate());
    summary.put("wins", w.wins());
    summary.put("ties", w.ties());
    summary.put("losses", w.losses());
    summary.put("length_unit", unit.id());
    summary.put("mean_length", w.meanLength());
    summary.put("mean_baseline_length", w.meanBaselineLength());
    summary.put("length_slope", w.lengthSlope());
    Output.print(spec, json, summary);
    return 0;
  }

  private static List<String> first(List<List<String>> samples) {
    return samples.stream().map(l -> l.get(0)).toList();
  }
}
