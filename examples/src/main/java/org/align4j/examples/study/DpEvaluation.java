package org.align4j.examples.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.LanguageModel;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.memorization.canary.CanarySet;
import org.align4j.memorization.canary.ExposureByCount;
import org.align4j.memorization.canary.ExposureEstimator;
import org.align4j.memorization.distance.Levenshtein;
import org.align4j.memorization.stages.Split;
import org.align4j.memorization.stages.Stage;
import org.align4j.memorization.stages.StageAudit;
import org.align4j.memorization.stages.StageAuditResult;
import org.align4j.memorization.stages.StageSplitAudit;
import org.align4j.optimizers.ppo.PpoConfig;
import org.align4j.optimizers.ppo.PpoRollout;
import org.align4j.optimizers.ppo.PpoTrainer;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.train.RewardTrainer;
import org.align4j.rewardmodel.train.RewardTrainerConfig;

/** The study's measurements of one pipeline: held-out utility of each stage and the memorization audits. */
final class DpEvaluation {

  private DpEvaluation() {}

  /** Mean next-token loss (nats per token) of {@code model} on {@code texts} (BOS + text + EOS, cut to context). */
  static double heldOutLoss(TransformerLm model, List<TextExample> texts) {
    Tokenizer tok = model.tokenizer();
    List<int[]> sequences = new ArrayList<>();
    for (TextExample e : texts) {
      int[] ids = tok.encode(e.text());
      int[] s = new int[ids.length + 2];
      s[0] = tok.bosId();
      System.arraycopy(ids, 0, s, 1, ids.length);
      s[s.length - 1] = tok.eosId();
      sequences.add(s.length > model.contextLength() ? Arrays.copyOf(s, model.contextLength()) : s);
    }
    double sum = 0;
    long tokens = 0;
    for (float[] lp : model.tokenLogProbs(sequences)) {
      for (float x : lp) {
        sum -= x;
        tokens++;
      }
    }
    return sum / tokens;
  }

  /** The reward model's accuracy on the held-out pairs. */
  static double rewardAccuracy(TransformerRewardModel rm, DpAlignmentData d) {
    return new RewardTrainer(RewardTrainerConfig.builder().build())
        .evaluate(rm, Dataset.of("held-out-pairs", d.heldOutPairs())).accuracy();
  }

  /**
   * Completions of the held-out prompts by {@code policy} (sampled at temperature 1 with {@code seed}), scored by
   * the reward model, with their KL from {@code reference}.
   */
  static PpoRollout rollout(PpoConfig ppo, RewardModel rm, TransformerLm policy, TransformerLm reference,
      List<String> prompts, long seed) {
    return new PpoTrainer(ppo, rm).session(policy, reference, prompts).rollout(prompts, seed);
  }

  /**
   * The fixed programmatic judge that no stage optimises: the mean over completions of
   * {@code 1 - Levenshtein(completion, true continuation) / max(lengths)}, in [0, 1] (1 when every completion is
   * the held-out code's own continuation).
   */
  static double judge(List<String> completions, List<String> targets) {
    double sum = 0;
    for (int i = 0; i < completions.size(); i++) {
      String a = completions.get(i);
      String b = targets.get(i);
      int longest = Math.max(a.length(), b.length());
      sum += longest == 0 ? 1 : 1 - (double) Levenshtein.distance(a, b) / longest;
    }
    return sum / completions.size();
  }

  /** The discoverable memorization, PII regurgitation and canary exposure of each model on the SFT data. */
  static List<DpModelAudit> audit(DpAlignmentConfig c, DpAlignmentData d, TransformerLm sft, TransformerLm ppo) {
    StageAuditResult result = StageAudit.builder().prefixTokens(c.prefixTokens()).suffixTokens(c.suffixTokens())
        .threads(c.threads()).seed(c.seed()).consecutiveTransitions(false).build()
        .run(List.of(new Stage("sft", sft), new Stage("ppo", ppo)), List.of(new Split("sft",
            Dataset.of("sft", d.sft()))));
    ExposureEstimator exposure = ExposureEstimator.builder().seed(c.seed()).build();
    List<DpModelAudit> out = new ArrayList<>();
    for (Stage s : List.of(new Stage("sft", sft), new Stage("ppo", ppo))) {
      StageSplitAudit cell = result.cell(s.name(), "sft");
      out.add(new DpModelAudit(s.name(), cell.discoverable(), cell.piiRegurgitated(),
          exposureByCount(exposure, s.model(), d.canaries()), d.canaries().format().log2Size()));
    }
    return out;
  }

  private static Map<Integer, Double> exposureByCount(ExposureEstimator estimator, LanguageModel model,
      CanarySet canaries) {
    Map<Integer, Double> out = new LinkedHashMap<>();
    for (ExposureByCount e : ExposureEstimator.byInsertions(estimator.estimate(model, canaries))) {
      out.put(e.insertions(), e.meanExposure());
    }
    return out;
  }
}
