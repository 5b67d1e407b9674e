package org.align4j.examples.study;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.train.ProgressBar;
import org.align4j.core.train.SftConfig;
import org.align4j.core.train.SftTrainer;
import org.align4j.memorization.ScanListener;
import org.align4j.memorization.stages.Split;
import org.align4j.memorization.stages.Stage;
import org.align4j.memorization.stages.StageAudit;
import org.align4j.memorization.stages.StageAuditResult;
import org.align4j.optimizers.dpo.DpoConfig;
import org.align4j.optimizers.dpo.DpoTrainer;
import org.align4j.optimizers.ppo.PpoConfig;
import org.align4j.optimizers.ppo.PpoTrainer;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.align4j.optimizers.preference.PreferenceLossType;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.train.RewardTrainer;
import org.align4j.rewardmodel.train.RewardTrainerConfig;

/**
 * Memorization through RLHF and IPO for code completion (Pappu et al. 2024), as one study. The corpus is cut into
 * five disjoint splits (SFT data, control data of the same size, reward-model data, RL prompts, held-out data).
 * It trains an SFT model; a control model by the same recipe on the control data; a reward model initialised
 * from the SFT model on preference pairs built from code (the true completion against a mutated one); one PPO
 * model from the SFT model per KL coefficient, against that reward model with a KL penalty to the SFT model; an
 * IPO model from the SFT model on the reward-model pairs; and the baseline that fine-tunes the SFT model directly
 * on the reward-model and RL examples. Then it audits every language model on every split (discoverable and
 * counterfactual memorization, membership AUC, PII), computes the transitions from the SFT model, decides the
 * paper's findings (a), (b) and (c) on this run's numbers, and writes {@code study.html} and {@code study.json}.
 *
 * <p>Every stage's checkpoint is saved atomically as soon as it is trained; with {@code resume} an interrupted
 * run continues from them. Everything is seeded: the same settings give the same tables.
 */
public final class RlhfMemorizationStudy {

  /** Names of the audited splits, in order. */
  public static final List<String> SPLITS = List.of("sft", "rm", "rl", "held-out");

  private RlhfMemorizationStudy() {}

  /** The stage name of the PPO model with KL coefficient {@code kl}, e.g. {@code ppo-kl0.1}. */
  public static String ppoStage(double kl) {
    return "ppo-kl" + BigDecimal.valueOf(kl).stripTrailingZeros().toPlainString();
  }

  /**
   * Runs the study, writing progress (one line per stage, progress bars, stage times) to {@code progress}.
   *
   * @throws IllegalArgumentException for bad settings or data (the message names the option)
   */
  public static RlhfMemorizationResult run(RlhfMemorizationConfig c, PrintStream progress) {
    Tokenizer tok = ByteTokenizer.INSTANCE;
    StudyData data = StudyData.load(c, tok);
    StudyCheckpoints ckpt = new StudyCheckpoints(c, progress);
    List<PreferencePair> pairs = StudyData.pairs(data.rm(), tok, c.prefixTokens(), c.suffixTokens(), c.seed());
    TransformerLm sft = ckpt.stage("sft", () -> sft("sft", fresh(c), data.sft(), c, progress), Checkpoints::load,
        Checkpoints::save);
    TransformerLm control = ckpt.stage("control", () -> sft("control", fresh(c), data.control(), c, progress),
        Checkpoints::load, Checkpoints::save);
    TransformerRewardModel rm = ckpt.stage("reward", () -> reward(sft, pairs, c, progress),
        TransformerRewardModel::load, TransformerRewardModel::save);
    double rewardAccuracy = new RewardTrainer(RewardTrainerConfig.builder().build())
        .evaluate(rm, Dataset.of("rm-pairs", pairs)).accuracy();
    List<Stage> stages = new ArrayList<>();
    stages.add(new Stage("sft", sft));
    List<String> prompts = StudyData.prompts(data.rl(), tok, c.prefixTokens(), c.seed() + 3);
    for (double kl : c.klCoefs()) {
      String name = ppoStage(kl);
      stages.add(new Stage(name, ckpt.stage(name, () -> ppo(name, sft, rm, prompts, kl, c, progress),
          Checkpoints::load, Checkpoints::save)));
    }
    stages.add(new Stage("ipo", ckpt.stage("ipo", () -> ipo(sft, pairs, c, progress), Checkpoints::load,
        Checkpoints::save)));
    List<TextExample> direct = new ArrayList<>(data.rm());
    direct.addAll(data.rl());
    stages.add(new Stage("direct-ft", ckpt.stage("direct-ft", () -> sft("direct-ft", sft.copy(), direct, c,
        progress), Checkpoints::load, Checkpoints::save)));
    stages.add(new Stage("control", control));

    progress.println("[audit] every model on every split");
    long start = System.nanoTime();
    StageAudit.Builder audit = StageAudit.builder().prefixTokens(c.prefixTokens()).suffixTokens(c.suffixTokens())
        .threads(c.threads()).seed(c.seed()).control(control).nonMemberSplit("held-out")
        .consecutiveTransitions(false);
    for (Stage s : stages) {
      if (!s.name().equals("sft") && !s.name().equals("control")) {
        audit.transition("sft", s.name());
      }
    }
    ScanListener console = ScanListener.console(progress);
    audit.listener((model, split, p) -> {
      if (p.examplesRead() == 0 || p.finished()) {
        progress.print("  " + model + " on " + split + ": ");
      }
      console.onProgress(p);
    });
    List<Split> splits = new ArrayList<>();
    data.audited().forEach((name, examples) -> splits.add(new Split(name, Dataset.of(name, examples))));
    StageAuditResult result = audit.build().run(stages, splits);
    double auditSeconds = (System.nanoTime() - start) / 1e9;
    ckpt.timed("audit", auditSeconds);
    progress.printf(java.util.Locale.ROOT, "[audit] done in %.1f s%n", auditSeconds);

    List<StudyFinding> findings = RlhfFindings.decide(result, c.klCoefs());
    return StudyReport.write(c, result, rewardAccuracy, findings, ckpt.timings());
  }

  private static TransformerLm fresh(RlhfMemorizationConfig c) {
    TransformerConfig config = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
        .contextLength(c.contextLength()).dModel(c.dModel()).heads(4).layers(c.layers()).build();
    return TransformerLm.create(config, ByteTokenizer.INSTANCE, c.seed());
  }

  private static TransformerLm sft(String label, TransformerLm start, List<TextExample> examples,
      RlhfMemorizationConfig c, PrintStream progress) {
    SftConfig sft = SftConfig.builder().batchSize(16).epochs(c.sftEpochs()).learningRate(c.learningRate())
        .warmupSteps(10).weightDecay(0).seed(c.seed()).build();
    Dataset<TextExample> data = Dataset.of(label + "-data", StudyData.repeated(examples, c.seed() + 1));
    return new SftTrainer(sft, new ProgressBar(label, progress)).train(start, data).model();
  }

  private static TransformerRewardModel reward(TransformerLm sft, List<PreferencePair> pairs,
      RlhfMemorizationConfig c, PrintStream progress) {
    RewardTrainerConfig config = RewardTrainerConfig.builder().batchSize(16).epochs(c.rmEpochs())
        .learningRate(1e-3).warmupSteps(5).seed(c.seed()).build();
    TransformerRewardModel model = TransformerRewardModel.fromLanguageModel(sft.copy(), c.seed());
    return new RewardTrainer(config, new ProgressBar("reward", progress))
        .train(model, Dataset.of("rm-pairs", pairs)).model();
  }

  private static TransformerLm ppo(String label, TransformerLm sft, TransformerRewardModel rm, List<String> prompts,
      double kl, RlhfMemorizationConfig c, PrintStream progress) {
    PpoConfig config = PpoConfig.builder().iterations(c.ppoIterations()).batchSize(c.ppoBatchSize())
        .responseLength(c.suffixTokens()).temperature(1.0).klCoef(kl).ppoEpochs(c.ppoEpochs()).learningRate(1e-3)
        .seed(c.seed()).build();
    return new PpoTrainer(config, rm, new ProgressBar(label, progress)).train(sft.copy(), sft.copy(), prompts)
        .policy();
  }

  private static TransformerLm ipo(TransformerLm sft, List<PreferencePair> pairs, RlhfMemorizationConfig c,
      PrintStream progress) {
    PreferenceLoss loss = PreferenceLoss.builder().type(PreferenceLossType.IPO).beta(c.ipoBeta()).build();
    DpoConfig config = DpoConfig.builder().loss(loss).batchSize(8).epochs(c.ipoEpochs()).learningRate(1e-3)
        .warmupSteps(5).seed(c.seed()).build();
    return new DpoTrainer(config, new ProgressBar("ipo", progress))
        .train(sft.copy(), sft.copy(), Dataset.of("rm-pairs", pairs), null).model();
  }
}
