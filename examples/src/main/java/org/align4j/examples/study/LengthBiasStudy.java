package org.align4j.examples.study;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.ProgressBar;
import org.align4j.core.train.SftConfig;
import org.align4j.core.train.SftTrainer;
import org.align4j.optimizers.dpo.DpoConfig;
import org.align4j.optimizers.dpo.DpoTrainer;
import org.align4j.optimizers.ppo.PpoConfig;
import org.align4j.optimizers.ppo.PpoMetrics;
import org.align4j.optimizers.ppo.PpoResult;
import org.align4j.optimizers.ppo.PpoTrainer;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.calibration.CalibratedRewardModel;
import org.align4j.rewardmodel.calibration.Calibration;
import org.align4j.rewardmodel.calibration.Calibrator;
import org.align4j.rewardmodel.calibration.RewardPairs;
import org.align4j.rewardmodel.eval.Correlation;
import org.align4j.rewardmodel.pairs.BestWorstPairs;
import org.align4j.rewardmodel.pairs.ResponseSampler;
import org.align4j.rewardmodel.train.RewardTrainer;
import org.align4j.rewardmodel.train.RewardTrainerConfig;
import org.align4j.rewardmodel.winrate.WinRate;

/**
 * A length-biased reward model in the loop, raw and calibrated (Huang et al. 2024, "Post-hoc Reward
 * Calibration"). A gold reward that ignores length ({@link LengthBiasData#GOLD}); preference pairs labelled by a
 * labeller that follows the gold reward but prefers the longer response with a set probability; a reward model
 * trained on those labels from the SFT model (so it learns the bias); its RC-LWR calibration (LOWESS of the reward
 * on the length, fitted on the rewards it gives held-out responses). Then from the one SFT model: PPO on the raw
 * and on the calibrated reward, and DPO on best/worst pairs of SFT samples chosen by the raw and by the calibrated
 * reward ({@code make-pairs}). Every policy answers the same held-out prompts and is judged against the SFT model
 * by the gold reward. The study reports what happened; nothing in it expects an outcome.
 */
public final class LengthBiasStudy {

  private LengthBiasStudy() {}

  /** Runs the study, writing progress to {@code progress}, and writes {@code study.json} and {@code study.html}. */
  public static LengthBiasResult run(LengthBiasConfig c, PrintStream progress) {
    List<StageTiming> timings = new ArrayList<>();
    long seed = c.seed();
    long start = System.nanoTime();
    TransformerLm sft = new SftTrainer(SftConfig.builder().batchSize(16).epochs(c.sftEpochs()).learningRate(1e-2)
        .warmupSteps(10).weightDecay(0).seed(seed).build(), new ProgressBar("sft", progress))
        .train(fresh(c), Dataset.of("sft", LengthBiasData.sftTexts(c.sftExamples(), seed + 1))).model();
    record("sft", start, timings, progress);

    start = System.nanoTime();
    List<PreferencePair> labelled = LengthBiasData.biasedLabels(LengthBiasData.goldPairs(c.rmPairs(), seed + 2),
        c.lengthBias(), seed + 3);
    TransformerRewardModel rm = new RewardTrainer(RewardTrainerConfig.builder().batchSize(16).epochs(c.rmEpochs())
        .learningRate(1e-2).warmupSteps(5).seed(seed).build(), new ProgressBar("reward", progress))
        .train(TransformerRewardModel.fromLanguageModel(sft.copy(), seed), Dataset.of("biased", labelled)).model();
    record("reward model", start, timings, progress);

    start = System.nanoTime();
    RewardModel raw = DpAlignmentStudy.scorer(rm);
    List<PreferencePair> held = LengthBiasData.goldPairs(c.calibrationPairs(), seed + 4);
    RewardPairs scored = score(raw, held);
    Calibration calibration = Calibrator.builder().build().fit(scored);
    CalibratedRewardModel calibrated = CalibratedRewardModel.of(raw, calibration);
    LengthBiasRewardModel rmReport = rewardModelReport(labelled, held, scored, calibrated);
    record("calibration", start, timings, progress);

    List<String> evalPrompts = LengthBiasData.prompts(c.evalPrompts(), seed + 5);
    GenerationConfig eval = GenerationConfig.sampling(c.responseTokens(), 1.0, seed + 6);
    List<String> sftAnswers = answers(sft, evalPrompts, eval);
    Evaluator evaluator = new Evaluator(evalPrompts, eval, sftAnswers, raw, calibrated);
    List<LengthBiasPolicy> policies = new ArrayList<>();
    double sftLength = mean(sftAnswers.stream().mapToDouble(String::length).toArray());
    policies.add(evaluator.evaluate("sft", sft, List.of(sftLength), List.of(), 0, 0));

    List<String> ppoPrompts = LengthBiasData.prompts(Math.max(64, c.ppoBatch() * 4), seed + 7);
    for (boolean cal : new boolean[] {false, true}) {
      String name = cal ? "ppo-calibrated" : "ppo-raw";
      start = System.nanoTime();
      PpoResult r = new PpoTrainer(ppoConfig(c), cal ? calibrated : raw, new ProgressBar(name, progress))
          .train(sft.copy(), sft.copy(), ppoPrompts);
      double seconds = record(name, start, timings, progress);
      policies.add(evaluator.evaluate(name, r.policy(),
          r.history().stream().map(PpoMetrics::meanResponseLength).toList(),
          r.history().stream().map(PpoMetrics::meanScore).toList(), 0, seconds));
    }

    List<String> dpoPrompts = LengthBiasData.prompts(c.dpoPrompts(), seed + 8);
    List<List<String>> samples = ResponseSampler.sample(sft, dpoPrompts, c.dpoSamples(),
        GenerationConfig.sampling(c.responseTokens(), 1.0, seed + 9));
    List<String> ids = IntStream.range(0, dpoPrompts.size()).mapToObj(i -> "p" + i).toList();
    for (boolean cal : new boolean[] {false, true}) {
      String name = cal ? "dpo-calibrated" : "dpo-raw";
      start = System.nanoTime();
      List<PreferencePair> pairs = BestWorstPairs.make(ids, dpoPrompts, samples, cal ? calibrated : raw,
          name + " reward").pairs();
      if (pairs.isEmpty()) {
        throw new IllegalArgumentException("--dpo-samples " + c.dpoSamples() + ": every prompt's samples scored the "
            + "same under the " + (cal ? "calibrated" : "raw") + " reward; no DPO pairs");
      }
      TransformerLm policy = new DpoTrainer(DpoConfig.builder().batchSize(8).epochs(c.dpoEpochs())
          .learningRate(5e-3).warmupSteps(5).seed(seed).build(), new ProgressBar(name, progress))
          .train(sft.copy(), sft.copy(), Dataset.of(name, pairs), null).model();
      double seconds = record(name, start, timings, progress);
      LengthBiasPolicy p = evaluator.evaluate(name, policy, List.of(), List.of(), pairs.size(), seconds);
      policies.add(new LengthBiasPolicy(p.name(), List.of(sftLength, p.meanLength()), List.of(), p.pairs(),
          p.meanLength(), p.meanGold(), p.meanRawReward(), p.meanCalibratedReward(), p.winRate(), p.lcWinRate(),
          p.lengthSlope(), p.seconds()));
    }

    double[] gold = policies.stream().mapToDouble(LengthBiasPolicy::meanGold).toArray();
    double rawRank = Correlation.spearman(policies.stream().mapToDouble(LengthBiasPolicy::meanRawReward).toArray(),
        gold);
    double calRank = Correlation.spearman(
        policies.stream().mapToDouble(LengthBiasPolicy::meanCalibratedReward).toArray(), gold);
    return LengthBiasReport.write(new LengthBiasResult(LengthBiasResult.STUDY, c, LengthBiasData.GOLD,
        LengthBiasData.labeller(c.lengthBias()), rmReport, policies, policies.size(), rawRank, calRank, timings,
        c.outputDir().resolve("study.html"), c.outputDir().resolve("study.json")));
  }

  /** Each policy's held-out answers, measured against the SFT model's. */
  private record Evaluator(List<String> prompts, GenerationConfig config, List<String> sftAnswers, RewardModel raw,
      RewardModel calibrated) {

    LengthBiasPolicy evaluate(String name, TransformerLm policy, List<Double> lengthCurve, List<Double> rewardCurve,
        int pairs, double seconds) {
      List<String> answers = answers(policy, prompts, config);
      WinRate w = WinRate.judge(LengthBiasData.goldReward(), "gold reward", prompts, answers, sftAnswers,
          String::length);
      return new LengthBiasPolicy(name, lengthCurve, rewardCurve, pairs, w.meanLength(),
          mean(LengthBiasData.goldReward().score(prompts, answers)), mean(raw.score(prompts, answers)),
          mean(calibrated.score(prompts, answers)), w.winRate(), w.lengthControlledWinRate(), w.lengthSlope(),
          seconds);
    }
  }

  private static RewardPairs score(RewardModel rm, List<PreferencePair> pairs) {
    List<String> prompts = pairs.stream().map(PreferencePair::prompt).toList();
    double[] chosen = rm.score(prompts, pairs.stream().map(PreferencePair::chosen).toList());
    double[] rejected = rm.score(prompts, pairs.stream().map(PreferencePair::rejected).toList());
    return RewardPairs.of(chosen, rejected, pairs.stream().mapToDouble(p -> p.chosen().length()).toArray(),
        pairs.stream().mapToDouble(p -> p.rejected().length()).toArray());
  }

  private static LengthBiasRewardModel rewardModelReport(List<PreferencePair> labelled, List<PreferencePair> held,
      RewardPairs raw, CalibratedRewardModel calibrated) {
    RewardPairs cal = score(calibrated, held);
    return new LengthBiasRewardModel(LengthBiasData.goldAgreement(labelled), LengthBiasData.longerChosen(labelled),
        accuracy(raw), accuracy(cal), lengthSpearman(raw), lengthSpearman(cal), 2 * held.size());
  }

  /** The fraction of pairs whose chosen (gold-better) response gets the higher reward; a tie counts half. */
  private static double accuracy(RewardPairs p) {
    double right = 0;
    for (int i = 0; i < p.chosenReward().length; i++) {
      double d = p.chosenReward()[i] - p.rejectedReward()[i];
      right += d > 0 ? 1 : d == 0 ? 0.5 : 0;
    }
    return right / p.chosenReward().length;
  }

  private static double lengthSpearman(RewardPairs p) {
    return Correlation.spearman(concat(p.chosenReward(), p.rejectedReward()),
        concat(p.chosenFeature(), p.rejectedFeature()));
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static List<String> answers(TransformerLm policy, List<String> prompts, GenerationConfig config) {
    return ResponseSampler.sample(policy, prompts, 1, config).stream().map(l -> l.get(0)).toList();
  }

  private static PpoConfig ppoConfig(LengthBiasConfig c) {
    return PpoConfig.builder().iterations(c.ppoIterations()).batchSize(c.ppoBatch())
        .responseLength(c.responseTokens()).temperature(1.0).klCoef(c.klCoef()).ppoEpochs(c.ppoEpochs())
        .learningRate(5e-3).seed(c.seed()).build();
  }

  private static TransformerLm fresh(LengthBiasConfig c) {
    TransformerConfig config = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
        .contextLength(c.contextLength()).dModel(c.dModel()).heads(4).layers(c.layers()).build();
    return TransformerLm.create(config, ByteTokenizer.INSTANCE, c.seed());
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  private static double record(String stage, long start, List<StageTiming> timings, PrintStream progress) {
    double s = (System.nanoTime() - start) / 1e9;
    timings.add(new StageTiming(stage, s, false));
    progress.printf(Locale.ROOT, "[%s] done in %.1f s%n", stage, s);
    return s;
  }
}
