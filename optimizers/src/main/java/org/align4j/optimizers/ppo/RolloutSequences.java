package org.align4j.optimizers.ppo;

import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.util.Args;
import org.align4j.optimizers.rl.GroupAdvantages;

/** The prompts of a PPO rollout and its group advantages. */
final class RolloutSequences {

  private RolloutSequences() {}

  /**
   * BOS followed by the prompt's tokens.
   *
   * @throws IllegalArgumentException when the prompt leaves no room in the context for a response token
   */
  static int[] encodePrompt(Tokenizer tokenizer, String prompt, int index, int contextLength) {
    Args.check(prompt != null, "prompt %s is null", index);
    int[] body = tokenizer.encode(prompt);
    Args.check(body.length + 2 <= contextLength,
        "prompt %s has %s tokens with BOS; the context of %s tokens leaves room for prompts of at most %s tokens, one "
            + "response token included: %s", index, (body.length + 1), contextLength, (contextLength - 1),
        abbreviate(prompt));
    int[] ids = new int[body.length + 1];
    ids[0] = tokenizer.bosId();
    System.arraycopy(body, 0, ids, 1, body.length);
    return ids;
  }

  /** Sequence advantages of GRPO or RLOO from the KL-penalised sequence rewards, broadcast to the tokens. */
  static double[][] groupAdvantages(PpoConfig config, double[][] tokenRewards, double[][] mask) {
    int n = tokenRewards.length;
    double[] sequenceRewards = new double[n];
    for (int i = 0; i < n; i++) {
      for (double r : tokenRewards[i]) {
        sequenceRewards[i] += r;
      }
    }
    double[] a = switch (config.advantageEstimator()) {
      case GRPO -> GroupAdvantages.grpo(sequenceRewards, config.samplesPerPrompt(), config.grpoScaling(),
          config.grpoStdEpsilon());
      case RLOO -> GroupAdvantages.rloo(sequenceRewards, config.samplesPerPrompt());
      case GAE -> throw new IllegalStateException("GAE has no group advantages");
    };
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      out[i] = new double[mask[i].length];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = a[i] * mask[i][j];
      }
    }
    return out;
  }

  /** {@code s} quoted on one line, cut to 40 characters, for error messages. */
  static String abbreviate(String s) {
    String oneLine = s.replace('\n', ' ');
    return "\"" + (oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 37) + "...") + "\"";
  }
}
