package org.align4j.optimizers.ppo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * The sampled completions of one prompt with what the PPO loss needs of them: the example, and privacy unit, of
 * private PPO ({@link PpoTrainer} with privacy settings); plain PPO's examples are groups of one completion. All
 * completions of a prompt are one example, so a group baseline over them (GRPO, RLOO) stays within the example.
 * Per-token arrays have one row per completion, aligned with its response tokens (element {@code j} is about
 * response token {@code j}); positions past a response's end are ignored, so rows of a right-padded rollout can be
 * used as they are. The arrays are shared, not copied.
 *
 * @param prompt the prompt's tokens, BOS first, at least one
 * @param responses the completions' tokens, each at least one
 * @param logprobs the sampling policy's log-probabilities of the response tokens
 * @param advantages the advantage of each response token
 * @param values the value head's estimates at rollout time (zeros without a value head)
 * @param returns the value head's targets (zeros without a value head)
 */
public record RolloutGroup(int[] prompt, List<int[]> responses, double[][] logprobs, double[][] advantages,
    double[][] values, double[][] returns) {

  /** Validates the shapes. */
  public RolloutGroup {
    Objects.requireNonNull(prompt, "prompt");
    Args.check(prompt.length >= 1, "prompt must hold at least 1 token (BOS), got 0");
    Args.check(responses != null && !responses.isEmpty(), "responses must not be empty");
    responses = List.copyOf(responses);
    for (int i = 0; i < responses.size(); i++) {
      Args.check(responses.get(i).length >= 1, "response %s has no tokens", i);
    }
    check("logprobs", logprobs, responses);
    check("advantages", advantages, responses);
    check("values", values, responses);
    check("returns", returns, responses);
  }

  /**
   * The rollout's completions as one group per prompt ({@code samplesPerPrompt} consecutive completions); with
   * {@code samplesPerPrompt} 1, each completion alone (the examples of a plain PPO minibatch).
   */
  static List<RolloutGroup> perPrompt(PpoRollout rollout, int samplesPerPrompt) {
    List<RolloutGroup> out = new ArrayList<>(rollout.size() / samplesPerPrompt);
    for (int from = 0; from < rollout.size(); from += samplesPerPrompt) {
      int to = from + samplesPerPrompt;
      out.add(new RolloutGroup(rollout.promptTokens().get(from), rollout.responses().subList(from, to),
          Arrays.copyOfRange(rollout.logprobs(), from, to), Arrays.copyOfRange(rollout.advantages(), from, to),
          Arrays.copyOfRange(rollout.values(), from, to), Arrays.copyOfRange(rollout.returns(), from, to)));
    }
    return out;
  }

  /** The number of completions. */
  public int size() {
    return responses.size();
  }

  /** Response tokens over all completions. */
  public int responseTokens() {
    return responses.stream().mapToInt(r -> r.length).sum();
  }

  /** The model input length the group needs: the prompt and its longest completion, less one. */
  public int inputLength() {
    return prompt.length + responses.stream().mapToInt(r -> r.length).max().orElseThrow() - 1;
  }

  private static void check(String name, double[][] rows, List<int[]> responses) {
    Args.check(rows != null && rows.length == responses.size(), "%s must have %s rows, got %s", name, responses.size(),
        (rows == null ? "null" : rows.length));
    for (int i = 0; i < rows.length; i++) {
      Args.check(rows[i] != null && rows[i].length >= responses.get(i).length,
          "%s row %s must hold the %s tokens of its response", name, i, responses.get(i).length);
    }
  }
}
