package org.align4j.optimizers.ppo;

import java.util.Arrays;
import java.util.List;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.util.Args;
import org.align4j.optimizers.rl.GroupAdvantages;

/** The token sequences of a PPO rollout and its group advantages: prompts, model inputs, targets. */
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

  /** Model inputs ({@code [0]}) and next-token targets ({@code [1]}) of prompt + response, right-padded. */
  static int[][][] inputsAndTargets(List<int[]> prompts, List<int[]> responses, int seqLen, int padId) {
    int n = prompts.size();
    int[][] tokens = new int[n][seqLen];
    int[][] targets = new int[n][seqLen];
    for (int i = 0; i < n; i++) {
      int[] p = prompts.get(i);
      int[] r = responses.get(i);
      int[] seq = Arrays.copyOf(p, p.length + r.length);
      System.arraycopy(r, 0, seq, p.length, r.length);
      Args.check(seq.length - 1 <= seqLen,
          "completion %s has %s tokens with its prompt, more than the graph's %s holds", i, seq.length, (seqLen + 1));
      Arrays.fill(tokens[i], padId);
      Arrays.fill(targets[i], padId);
      System.arraycopy(seq, 0, tokens[i], 0, seq.length - 1);
      System.arraycopy(seq, 1, targets[i], 0, seq.length - 1);
    }
    return new int[][][] {tokens, targets};
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
