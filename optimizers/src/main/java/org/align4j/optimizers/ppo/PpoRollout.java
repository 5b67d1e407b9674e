package org.align4j.optimizers.ppo;

import java.util.List;

/**
 * A scored batch of sampled completions with everything PPO optimises on. Completions of one prompt are
 * consecutive. Per-token arrays are {@code [N][R]}, aligned with the response tokens (element {@code j} of row
 * {@code i} is about response token {@code j}), right-padded to the longest response with 0 and {@code mask} 0.
 * The arrays are shared, not copied: treat them as read-only.
 *
 * @param prompts the prompt text of each completion
 * @param promptTokens each completion's prompt tokens (BOS first)
 * @param responses the sampled tokens (EOS last when the completion ended with it)
 * @param responseTexts the decoded completions without EOS, as the reward model saw them
 * @param scores the reward model's scores
 * @param endedWithEos whether each completion ended with EOS
 * @param mask 1 on response tokens
 * @param logprobs log-probabilities under the sampling policy
 * @param refLogprobs log-probabilities under the reference
 * @param values value estimates (0 without a value head)
 * @param kl per-token KL estimates
 * @param rewards per-token rewards: {@code -klCoef·kl}, plus the (penalised) score on the last token
 * @param advantages the advantages PPO uses
 * @param returns GAE returns, the value head's targets (0 without a value head)
 * @param meanSequenceKl mean over completions of the summed per-token KL
 * @param klCoef the KL coefficient of the rewards
 * @param entropy mean per-token entropy of the sampling distribution over response tokens
 */
public record PpoRollout(
    List<String> prompts, List<int[]> promptTokens, List<int[]> responses, List<String> responseTexts,
    double[] scores, boolean[] endedWithEos, double[][] mask, double[][] logprobs, double[][] refLogprobs,
    double[][] values, double[][] kl, double[][] rewards, double[][] advantages, double[][] returns,
    double meanSequenceKl, double klCoef, double entropy) {

  /** The number of completions. */
  public int size() {
    return prompts.size();
  }

  /** The mean score. */
  public double meanScore() {
    double sum = 0;
    for (double s : scores) {
      sum += s;
    }
    return sum / scores.length;
  }

  /** The mean completion length in tokens. */
  public double meanResponseLength() {
    return responses.stream().mapToInt(r -> r.length).average().orElse(0);
  }

  /** The fraction of completions that ended with EOS. */
  public double eosFraction() {
    int n = 0;
    for (boolean e : endedWithEos) {
      n += e ? 1 : 0;
    }
    return (double) n / endedWithEos.length;
  }
}
