package org.align4j.optimizers.dpo;

/**
 * A tokenized preference pair: {@code BOS + prompt + response + EOS} for each response, possibly truncated at the
 * end of the response. Positions {@code >= responseStart} of either sequence are the response tokens that the
 * summed log-probabilities cover.
 *
 * @param chosen the chosen sequence
 * @param rejected the rejected sequence
 * @param responseStart index of the first response token ({@code 1 + prompt tokens})
 */
public record EncodedPair(int[] chosen, int[] rejected, int responseStart) {

  /** Response tokens (EOS included when kept) of the chosen sequence. */
  public int chosenTokens() {
    return chosen.length - responseStart;
  }

  /** Response tokens (EOS included when kept) of the rejected sequence. */
  public int rejectedTokens() {
    return rejected.length - responseStart;
  }

  /** The sum of {@code logProbs[t - 1]} over response positions t ({@code logProbs[t-1] = log p(s[t] | s[<t])}). */
  public double responseSum(float[] logProbs) {
    double sum = 0;
    for (int t = responseStart - 1; t < logProbs.length; t++) {
      sum += logProbs[t];
    }
    return sum;
  }
}
