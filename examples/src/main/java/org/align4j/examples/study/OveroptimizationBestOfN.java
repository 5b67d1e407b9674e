package org.align4j.examples.study;

import java.util.ArrayList;
import java.util.List;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.pairs.BestOfN;

/**
 * Best-of-n against one proxy reward, on a fixed pool of SFT samples: for each n, each prompt's samples are cut
 * into {@code floor(maxN / n)} disjoint blocks of n, the proxy's best of each block is kept, and its proxy and
 * gold rewards are averaged over blocks and prompts. The KL is the closed form {@link BestOfN#kl}.
 */
final class OveroptimizationBestOfN {

  private OveroptimizationBestOfN() {}

  /**
   * The SFT samples of the held-out prompts, flattened prompt by prompt ({@code maxN} each), with their gold
   * rewards.
   *
   * @param prompts the prompt of each sample
   * @param responses the samples
   * @param gold their gold rewards
   * @param perPrompt samples per prompt
   */
  record Pool(List<String> prompts, List<String> responses, double[] gold, int perPrompt) {}

  static List<OveroptimizationPoint> curve(List<Integer> ns, Pool pool, RewardModel proxy) {
    double[] scores = proxy.score(pool.prompts(), pool.responses());
    int m = pool.perPrompt();
    int promptCount = pool.responses().size() / m;
    List<OveroptimizationPoint> points = new ArrayList<>();
    for (int n : ns) {
      double proxySum = 0;
      double goldSum = 0;
      int count = 0;
      for (int p = 0; p < promptCount; p++) {
        for (int b = 0; b + n <= m; b += n) {
          int best = BestOfN.best(scores, p * m + b, n);
          proxySum += scores[best];
          goldSum += pool.gold()[best];
          count++;
        }
      }
      points.add(OveroptimizationPoint.of(n, BestOfN.kl(n), proxySum / count, goldSum / count));
    }
    return points;
  }
}
