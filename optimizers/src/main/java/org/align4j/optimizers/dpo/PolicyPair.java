package org.align4j.optimizers.dpo;

import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * A tokenized preference pair as DPO trains on it (the privacy unit of private DPO): both sequences {@code BOS + prompt + response +
 * EOS} (possibly cut at the end of the response) and the frozen reference model's summed log-probabilities of
 * each response, computed once before training.
 *
 * @param chosen the chosen sequence, at least two tokens
 * @param rejected the rejected sequence, at least two tokens
 * @param responseStart the first response position ({@code 1 + prompt tokens}), in {@code [1, length)} of both
 * @param referenceChosen the reference's summed log-probability of the chosen response (0 when reference-free)
 * @param referenceRejected the same for the rejected response
 */
public record PolicyPair(int[] chosen, int[] rejected, int responseStart, double referenceChosen,
    double referenceRejected) {

  /** Validates. */
  public PolicyPair {
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    Args.check(responseStart >= 1 && responseStart < Math.min(chosen.length, rejected.length),
        "responseStart must be in [1, %s), got %s", Math.min(chosen.length, rejected.length), responseStart);
    Args.finite("referenceChosen", referenceChosen);
    Args.finite("referenceRejected", referenceRejected);
  }

  /** Response tokens of the chosen sequence. */
  public int chosenTokens() {
    return chosen.length - responseStart;
  }

  /** Response tokens of the rejected sequence. */
  public int rejectedTokens() {
    return rejected.length - responseStart;
  }

  /** The model input length the pair needs: the longer sequence minus one. */
  public int inputLength() {
    return Math.max(chosen.length, rejected.length) - 1;
  }
}
