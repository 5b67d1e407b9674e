package org.align4j.examples.study;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.ProgressBar;
import org.align4j.core.train.SftConfig;
import org.align4j.core.train.SftTrainer;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.ensemble.EnsembleRewardModel;
import org.align4j.rewardmodel.ensemble.NormalizedRewardModel;
import org.align4j.rewardmodel.pairs.ResponseSampler;
import org.align4j.rewardmodel.train.RewardTrainer;
import org.align4j.rewardmodel.train.RewardTrainerConfig;

/**
 * Scaling laws for reward model over-optimisation (Gao et al. 2022), on the embedded synthetic code corpus. A
 * programmatic gold reward ({@link OveroptimizationGold}) labels pairs of SFT samples; proxy reward models are
 * trained on several numbers of those pairs, and an ensemble of proxies on one of them (mean, worst case, mean
 * minus k standard deviations; Coste et al. 2023). Each reward is optimised by PPO (from the SFT policy, measured
 * as it goes) and by best-of-n on SFT samples; the proxy and the gold reward are recorded against the KL from the
 * SFT policy, and the KL at which the gold reward peaks is reported, or that it did not peak in the range measured.
 * Every proxy is normalised to mean 0 and standard deviation 1 on the SFT samples of the held-out prompts.
 */
public final class OveroptimizationStudy {

  /** The ensemble settings, after the single proxies. */
  static final List<String> ENSEMBLES = List.of("ensemble-mean", "ensemble-worst", "ensemble-mean-minus-std");

  private OveroptimizationStudy() {}

  /**
   * Runs the study, writing progress to {@code progress}, and writes {@code study.json} and {@code study.html}.
   *
   * @throws IllegalArgumentException for settings the corpus cannot serve, before anything is trained
   */
  public static OveroptimizationResult run(OveroptimizationConfig c, PrintStream progress) {
    int n = c.sftExamples();
    int total = 3 * n + c.maxPairs() + c.evalPrompts();
    List<TextExample> all = StudyData.corpus(null, c.seed(), 1, total, 1, 0.0);
    StudyData.checkLengths(Map.of("prompts", all), ByteTokenizer.INSTANCE, c.promptTokens() + 1);
    List<TextExample> sftData = all.subList(0, n);
    OveroptimizationGold gold = new OveroptimizationGold(all.subList(n, 2 * n).stream().map(TextExample::text)
        .toList());
    List<String> rlPrompts = prompts(all.subList(2 * n, 3 * n), c);
    List<String> pairPrompts = prompts(all.subList(3 * n, 3 * n + c.maxPairs()), c);
    List<String> evalPrompts = prompts(all.subList(3 * n + c.maxPairs(), total), c);
    List<StageTiming> timings = new ArrayList<>();

    TransformerLm sft = timed("sft", timings, progress, () -> sft(c, sftData, progress));
    int perPrompt = Math.max(2, c.maxN());
    OveroptimizationBestOfN.Pool pool = timed("samples", timings, progress,
        () -> pool(sft, evalPrompts, perPrompt, c, gold));
    List<PreferencePair> heldOut = new ArrayList<>();
    for (int p = 0; p < evalPrompts.size(); p++) {
      labelled("held-out-" + p, pool.prompts().get(p * perPrompt), pool.responses().get(p * perPrompt),
          pool.responses().get(p * perPrompt + 1), gold).ifPresent(heldOut::add);
    }
    List<PreferencePair> pairs = timed("pairs", timings, progress, () -> pairs(sft, pairPrompts, c, gold));

    List<OveroptimizationProxy> proxies = new ArrayList<>();
    Map<String, RewardModel> settings = new LinkedHashMap<>();
    List<RewardModel> members = new ArrayList<>();
    for (int i = 0; i < c.pairCounts().size(); i++) {
      int count = c.pairCounts().get(i);
      RewardModel proxy = proxy("proxy-" + count, count, c.seed() + 10 + i, c, sft, pairs, heldOut, pool, proxies,
          timings, progress);
      settings.put("proxy-" + count, proxy);
      if (count == c.ensemblePairs()) {
        members.add(proxy);
      }
    }
    for (int j = 1; j < c.ensembleSize(); j++) {
      members.add(proxy("member-" + j, c.ensemblePairs(), c.seed() + 100 + j, c, sft, pairs, heldOut, pool,
          proxies, timings, progress));
    }
    settings.put(ENSEMBLES.get(0), EnsembleRewardModel.mean(members));
    settings.put(ENSEMBLES.get(1), EnsembleRewardModel.min(members));
    settings.put(ENSEMBLES.get(2), EnsembleRewardModel.meanMinusStd(members, c.ensembleK()));

    List<OveroptimizationCurve> curves = new ArrayList<>();
    for (Map.Entry<String, RewardModel> s : settings.entrySet()) {
      curves.add(timed(s.getKey() + " best-of-n", timings, progress, () -> OveroptimizationCurve.of(s.getKey(),
          "best-of-n", OveroptimizationBestOfN.curve(c.bestOfN(), pool, s.getValue()))));
      curves.add(timed(s.getKey() + " ppo", timings, progress, () -> OveroptimizationCurve.of(s.getKey(), "ppo",
          OveroptimizationPpo.curve(c, sft, s.getValue(), gold, rlPrompts, evalPrompts, c.seed() + 3))));
    }
    double sftGold = 0;
    for (double g : pool.gold()) {
      sftGold += g;
    }
    return OveroptimizationReport.write(c, sftGold / pool.gold().length, proxies, curves, timings);
  }

  private static List<String> prompts(List<TextExample> examples, OveroptimizationConfig c) {
    return StudyData.prompts(examples, ByteTokenizer.INSTANCE, c.promptTokens(), c.seed()).stream()
        .map(OveroptimizationStudy::clean).toList();
  }

  /**
   * {@code text} with U+FFFD (a sampled byte that is not valid UTF-8, three bytes when encoded again) as {@code ?},
   * so that every prompt and response keeps the number of tokens it was sampled with.
   */
  private static String clean(String text) {
    return text.replace('\uFFFD', '?');
  }

  private static TransformerLm sft(OveroptimizationConfig c, List<TextExample> data, PrintStream progress) {
    TransformerConfig config = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
        .contextLength(c.contextLength()).dModel(c.dModel()).heads(4).layers(c.layers()).build();
    SftConfig sft = SftConfig.builder().batchSize(16).epochs(c.sftEpochs()).learningRate(c.learningRate())
        .warmupSteps(10).weightDecay(0).seed(c.seed()).build();
    TransformerLm model = TransformerLm.create(config, ByteTokenizer.INSTANCE, c.seed());
    return new SftTrainer(sft, new ProgressBar("sft", progress)).train(model, Dataset.of("sft", data)).model();
  }

  private static OveroptimizationBestOfN.Pool pool(TransformerLm sft, List<String> prompts, int perPrompt,
      OveroptimizationConfig c, OveroptimizationGold gold) {
    List<List<String>> samples = ResponseSampler.sample(sft, prompts, perPrompt,
        GenerationConfig.sampling(c.responseTokens(), 1.0, c.seed() + 1));
    List<String> flatPrompts = new ArrayList<>();
    List<String> flat = new ArrayList<>();
    for (int p = 0; p < prompts.size(); p++) {
      for (String s : samples.get(p)) {
        flatPrompts.add(prompts.get(p));
        flat.add(clean(s));
      }
    }
    return new OveroptimizationBestOfN.Pool(flatPrompts, flat, gold.score(flatPrompts, flat), perPrompt);
  }

  /** Two SFT samples per prompt, the one the gold reward scores higher chosen (ties dropped). */
  private static List<PreferencePair> pairs(TransformerLm sft, List<String> prompts, OveroptimizationConfig c,
      OveroptimizationGold gold) {
    List<List<String>> samples = ResponseSampler.sample(sft, prompts, 2,
        GenerationConfig.sampling(c.responseTokens(), 1.0, c.seed() + 2));
    List<PreferencePair> out = new ArrayList<>();
    for (int p = 0; p < prompts.size(); p++) {
      labelled("pair-" + p, prompts.get(p), clean(samples.get(p).get(0)), clean(samples.get(p).get(1)), gold)
          .ifPresent(out::add);
    }
    return out;
  }

  private static Optional<PreferencePair> labelled(String id, String prompt, String a, String b,
      OveroptimizationGold gold) {
    double ga = gold.gold(prompt, a);
    double gb = gold.gold(prompt, b);
    if (ga == gb) {
      return Optional.empty();
    }
    return Optional.of(new PreferencePair(id, prompt, ga > gb ? a : b, ga > gb ? b : a, Optional.empty(),
        OptionalDouble.empty()));
  }

  /** Trains a proxy on the first {@code count} pairs and normalises it on the SFT samples of the pool. */
  private static RewardModel proxy(String name, int count, long seed, OveroptimizationConfig c, TransformerLm sft,
      List<PreferencePair> pairs, List<PreferencePair> heldOut, OveroptimizationBestOfN.Pool pool,
      List<OveroptimizationProxy> proxies, List<StageTiming> timings, PrintStream progress) {
    long start = System.nanoTime();
    List<PreferencePair> train = pairs.subList(0, Math.min(count, pairs.size()));
    RewardTrainer trainer = new RewardTrainer(RewardTrainerConfig.builder().batchSize(16).epochs(c.rmEpochs())
        .learningRate(c.learningRate()).warmupSteps(5).seed(seed).build(), new ProgressBar(name, progress));
    TransformerRewardModel rm = trainer.train(TransformerRewardModel.fromLanguageModel(sft, seed),
        Dataset.of(name, train)).model();
    double accuracy = heldOut.isEmpty() ? Double.NaN : trainer.evaluate(rm, Dataset.of("held-out", heldOut))
        .accuracy();
    RewardModel raw = DpAlignmentStudy.scorer(rm);
    double[] r = raw.score(pool.prompts(), pool.responses());
    double mean = 0;
    for (double v : r) {
      mean += v;
    }
    mean /= r.length;
    double squares = 0;
    for (double v : r) {
      squares += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(squares / r.length);
    double seconds = (System.nanoTime() - start) / 1e9;
    proxies.add(new OveroptimizationProxy(name, train.size(), accuracy, seconds));
    timings.add(new StageTiming(name, seconds, false));
    progress.printf(Locale.ROOT, "[%s] %d pairs, held-out agreement with gold %.3f, %.1f s%n", name, train.size(),
        accuracy, seconds);
    return NormalizedRewardModel.of(raw, mean, std > 0 ? std : 1.0);
  }

  private static <T> T timed(String stage, List<StageTiming> timings, PrintStream progress, Supplier<T> work) {
    long start = System.nanoTime();
    T out = work.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    timings.add(new StageTiming(stage, seconds, false));
    progress.printf(Locale.ROOT, "[%s] done in %.1f s%n", stage, seconds);
    return out;
  }
}
