package org.align4j.examples.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.align4j.core.model.TransformerLm;
import org.align4j.optimizers.ppo.PpoConfig;
import org.align4j.optimizers.ppo.PpoRollout;
import org.align4j.optimizers.ppo.PpoSession;
import org.align4j.optimizers.ppo.PpoTrainer;
import org.align4j.rewardmodel.RewardModel;

/**
 * PPO against one proxy reward, measured as it goes: before the first iteration and every {@code evalEvery}
 * iterations, completions of the held-out prompts (one sampling seed throughout) give the mean proxy reward, the
 * mean gold reward and the sampled KL from the SFT policy.
 */
final class OveroptimizationPpo {

  private OveroptimizationPpo() {}

  static List<OveroptimizationPoint> curve(OveroptimizationConfig c, TransformerLm sft, RewardModel proxy,
      OveroptimizationGold gold, List<String> rlPrompts, List<String> evalPrompts, long seed) {
    PpoConfig config = PpoConfig.builder().iterations(c.ppoIterations()).batchSize(c.ppoBatch())
        .responseLength(c.responseTokens()).temperature(1.0).klCoef(c.klCoef())
        .learningRate(c.ppoLearningRate()).seed(seed).build();
    List<String> all = new ArrayList<>(rlPrompts);
    all.addAll(evalPrompts);
    PpoSession session = new PpoTrainer(config, proxy).session(sft.copy(), sft.copy(), all);
    Random order = new Random(seed);
    List<OveroptimizationPoint> points = new ArrayList<>();
    points.add(measure(session, gold, evalPrompts, 0, seed));
    for (int it = 1; it <= c.ppoIterations(); it++) {
      List<String> batch = new ArrayList<>(c.ppoBatch());
      for (int i = 0; i < c.ppoBatch(); i++) {
        batch.add(rlPrompts.get(order.nextInt(rlPrompts.size())));
      }
      session.iterate(batch, it);
      if (it % c.evalEvery() == 0 || it == c.ppoIterations()) {
        points.add(measure(session, gold, evalPrompts, it, seed));
      }
    }
    return points;
  }

  private static OveroptimizationPoint measure(PpoSession session, OveroptimizationGold gold,
      List<String> prompts, int step, long seed) {
    PpoRollout r = session.rollout(prompts, seed ^ 0x5DEECE66DL);
    double[] g = gold.score(r.prompts(), r.responseTexts());
    double sum = 0;
    for (double v : g) {
      sum += v;
    }
    return OveroptimizationPoint.of(step, r.meanSequenceKl(), r.meanScore(), sum / g.length);
  }
}
