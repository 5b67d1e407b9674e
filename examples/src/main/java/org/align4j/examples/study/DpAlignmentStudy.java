package org.align4j.examples.study;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.align4j.core.data.Dataset;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.privacy.PrivacyLedger;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.train.OptimizerSettings;
import org.align4j.core.train.ProgressBar;
import org.align4j.core.train.SftConfig;
import org.align4j.core.train.SftTrainer;
import org.align4j.optimizers.ppo.PpoConfig;
import org.align4j.optimizers.ppo.PpoResult;
import org.align4j.optimizers.ppo.PpoRollout;
import org.align4j.optimizers.ppo.PpoTrainer;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.train.RewardTrainer;
import org.align4j.rewardmodel.train.RewardTrainerConfig;
import org.align4j.rewardmodel.train.RewardTrainingResult;

/**
 * Private alignment end to end (Wu et al. 2023), against the privacy budget: for each target epsilon, DP SFT on
 * the SFT split (with canaries planted 1, 4 and 16 times), a DP reward model initialised from the SFT model on
 * preference pairs of the reward split, and DP PPO (prompt-level privacy) on the RL split's prompts against that
 * reward model with a KL penalty to the SFT model. The splits are disjoint, so the stages compose in parallel and
 * each spends the whole target; the total is composed by {@link PrivacyLedger#fromHistory} from the final policy's
 * history, which holds the reward model's stages too. The target {@code inf} is the same pipeline without noise.
 *
 * <p>Each pipeline is measured on held-out data (SFT loss, reward accuracy, the policy's reward, KL and a fixed
 * judge's score) and audited on the SFT data (discoverable memorization, PII regurgitation, canary exposure). The
 * accountant's epsilon is an upper bound on what any attack can learn; the audit is what one attack did learn, a
 * lower bound: the report puts them side by side. Every pipeline starts from the same seeded model.
 */
public final class DpAlignmentStudy {

  private DpAlignmentStudy() {}

  /**
   * Runs the study, writing progress to {@code progress}, and writes {@code study.json} and {@code study.html}.
   *
   * @throws IllegalArgumentException for bad settings or data, before anything is trained (the message names the
   *     option, and the stage where one is concerned)
   */
  public static DpAlignmentResult run(DpAlignmentConfig c, PrintStream progress) {
    Tokenizer tok = ByteTokenizer.INSTANCE;
    DpAlignmentData d = DpAlignmentData.load(c, tok);
    List<String> warnings = new ArrayList<>();
    List<List<DpStagePlan>> plans = new ArrayList<>();
    for (double epsilon : c.epsilons()) {
      plans.add(DpStagePlan.plan(c, d, epsilon, warnings));
    }
    warnings.forEach(w -> progress.println("warning: " + w));
    List<StageTiming> timings = new ArrayList<>();
    List<DpEpsilonRow> rows = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      rows.add(pipeline(c, d, plans.get(i), c.epsilons().get(i), timings, progress));
    }
    return DpAlignmentReport.write(c, rows, warnings, timings);
  }

  private static DpEpsilonRow pipeline(DpAlignmentConfig c, DpAlignmentData d, List<DpStagePlan> plan,
      double epsilon, List<StageTiming> timings, PrintStream progress) {
    String label = "eps=" + DpAlignmentConfig.label(epsilon);
    progress.println("[" + label + "] sft, reward, ppo");
    List<DpStageResult> stages = new ArrayList<>();
    DpTrainingResult sftRun = timed(label, plan.get(0), stages, timings,
        () -> new SftTrainer(SftConfig.builder().maxSteps(plan.get(0).steps()).learningRate(c.learningRate())
            .weightDecay(0).privacy(plan.get(0).privacy(c.clipNorm())).seed(c.seed()).build(),
            new ProgressBar(label + " sft", progress)).train(fresh(c), d.sftRows()).privacy().orElseThrow());
    TransformerLm sft = sftRun.model();
    RewardTrainingResult rmRun = timedReward(label, plan.get(1), stages, timings, () -> new RewardTrainer(
        RewardTrainerConfig.builder().maxSteps(plan.get(1).steps()).learningRate(c.learningRate()).weightDecay(0)
            .privacy(plan.get(1).privacy(c.clipNorm())).seed(c.seed() + 1).build(),
        new ProgressBar(label + " reward", progress))
        .train(TransformerRewardModel.fromLanguageModel(sft, c.seed()), Dataset.of("rm-pairs", d.pairs())));
    TransformerRewardModel rm = rmRun.model();
    PpoConfig ppo = ppoConfig(c);
    RewardModel scorer = scorer(rm);
    TransformerLm policy = withRewardHistory(sft.copy(), rm);
    PpoResult ppoRun = timedPpo(label, plan.get(2), stages, timings, () -> new PpoTrainer(ppo.toBuilder()
        .iterations(Math.toIntExact(plan.get(2).steps())).ppoEpochs(1)
        .optimizer(OptimizerSettings.builder().learningRate(c.learningRate() / 10).weightDecay(0).build())
        .privacy(plan.get(2).privacy(c.clipNorm())).seed(c.seed() + 2).build(), scorer,
        new ProgressBar(label + " ppo", progress)).train(policy, sft.copy(), d.prompts()));

    long start = System.nanoTime();
    List<TrainingStage> history = ppoRun.policy().provenance().history();
    double delta = PrivacyLedger.deltaOf(history).orElse(c.delta());
    double ledger = PrivacyLedger.fromHistory(history).report(delta).epsilon();
    double total = stages.stream().allMatch(DpStageResult::isPrivate) ? ledger : Double.POSITIVE_INFINITY;
    PpoConfig evaluation = ppo.toBuilder().seed(c.seed()).build();
    PpoRollout sftOut =
        DpEvaluation.rollout(evaluation, scorer, sft, sft.copy(), d.heldOutPrompts(), c.seed() + 9);
    PpoRollout ppoOut = DpEvaluation.rollout(evaluation, scorer, ppoRun.policy(), sft.copy(), d.heldOutPrompts(),
        c.seed() + 9);
    DpUtility utility = new DpUtility(DpEvaluation.heldOutLoss(sft, d.heldOut()),
        DpEvaluation.rewardAccuracy(rm, d), ppoOut.meanScore(), ppoOut.meanSequenceKl(),
        DpEvaluation.judge(sftOut.responseTexts(), d.heldOutTargets()),
        DpEvaluation.judge(ppoOut.responseTexts(), d.heldOutTargets()));
    record("evaluate", label, start, timings, progress);
    start = System.nanoTime();
    List<DpModelAudit> audits = DpEvaluation.audit(c, d, sft, ppoRun.policy());
    record("audit", label, start, timings, progress);
    return new DpEpsilonRow(epsilon, stages, ledger, total, delta, utility, audits);
  }

  /**
   * The policy with the stages of the reward model appended to its history (those it does not hold already, such as
   * the SFT stage both come from): its outputs depend on the reward model's data too.
   */
  public static TransformerLm withRewardHistory(TransformerLm policy, TransformerRewardModel rm) {
    List<TrainingStage> own = policy.provenance().history();
    List<TrainingStage> merged = new ArrayList<>(own);
    rm.provenance().history().stream().filter(s -> !own.contains(s)).forEach(merged::add);
    return policy.withProvenance(policy.provenance().withHistory(merged));
  }

  /**
   * The reward model as PPO's scorer: a sampled byte that is not valid UTF-8 decodes to U+FFFD, three bytes when
   * encoded again, so such characters are scored as {@code ?} to keep every response within the context.
   */
  static RewardModel scorer(TransformerRewardModel rm) {
    return (prompts, responses) -> rm.score(prompts, responses.stream().map(r -> r.replace('\uFFFD', '?'))
        .toList());
  }

  /**
   * The rollout and loss settings of PPO; the private stage adds its length, one update per batch, the optimizer
   * (DP-SGD's cosine schedule), the privacy settings and its seed.
   */
  private static PpoConfig ppoConfig(DpAlignmentConfig c) {
    return PpoConfig.builder().responseLength(c.suffixTokens()).temperature(1.0).klCoef(c.klCoef()).build();
  }

  private static TransformerLm fresh(DpAlignmentConfig c) {
    TransformerConfig config = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
        .contextLength(c.contextLength()).dModel(c.dModel()).heads(4).layers(c.layers()).build();
    return TransformerLm.create(config, ByteTokenizer.INSTANCE, c.seed());
  }

  private static DpTrainingResult timed(String label, DpStagePlan p, List<DpStageResult> stages,
      List<StageTiming> timings, Supplier<DpTrainingResult> train) {
    long start = System.nanoTime();
    DpTrainingResult r = train.get();
    stages.add(result(p, r, seconds(start)));
    timings.add(new StageTiming(label + " " + p.stage(), seconds(start), false));
    return r;
  }

  private static RewardTrainingResult timedReward(String label, DpStagePlan p, List<DpStageResult> stages,
      List<StageTiming> timings, Supplier<RewardTrainingResult> train) {
    RewardTrainingResult[] out = new RewardTrainingResult[1];
    timed(label, p, stages, timings, () -> (out[0] = train.get()).privacy().orElseThrow());
    return out[0];
  }

  private static PpoResult timedPpo(String label, DpStagePlan p, List<DpStageResult> stages,
      List<StageTiming> timings, Supplier<PpoResult> train) {
    PpoResult[] out = new PpoResult[1];
    timed(label, p, stages, timings, () -> (out[0] = train.get()).privacy().orElseThrow());
    return out[0];
  }

  private static DpStageResult result(DpStagePlan p, DpTrainingResult r, double seconds) {
    return new DpStageResult(p.stage(), p.targetEpsilon(), r.epsilon(), r.delta(), r.noiseMultiplier(), r.steps(),
        r.sampleRate(), p.records(), p.unit(), seconds);
  }

  private static void record(String what, String label, long start, List<StageTiming> timings,
      PrintStream progress) {
    double s = seconds(start);
    timings.add(new StageTiming(label + " " + what, s, false));
    progress.printf(Locale.ROOT, "[%s] %s done in %.1f s%n", label, what, s);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
