package org.align4j.optimizers.dpo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.align4j.core.model.LanguageModel;

/**
 * Summed response log-probabilities of preference pairs under one model, in float64 sums of its float32
 * per-token values.
 *
 * @param chosen the chosen response's sum, per pair
 * @param rejected the rejected response's sum, per pair
 */
record ResponseLogProbs(double[] chosen, double[] rejected) {

  /** Scores every pair with {@code model} by plain inference (no training graph). */
  static ResponseLogProbs compute(LanguageModel model, List<EncodedPair> pairs) {
    List<int[]> sequences = new ArrayList<>(2 * pairs.size());
    for (EncodedPair p : pairs) {
      sequences.add(p.chosen());
      sequences.add(p.rejected());
    }
    List<float[]> logProbs = model.tokenLogProbs(sequences);
    double[] chosen = new double[pairs.size()];
    double[] rejected = new double[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      chosen[i] = pairs.get(i).responseSum(logProbs.get(2 * i));
      rejected[i] = pairs.get(i).responseSum(logProbs.get(2 * i + 1));
    }
    return new ResponseLogProbs(chosen, rejected);
  }

  /** Zeros, for reference-free losses. */
  static ResponseLogProbs zeros(int n) {
    return new ResponseLogProbs(new double[n], new double[n]);
  }

  /** Pairs {@code [from, to)}. */
  ResponseLogProbs slice(int from, int to) {
    return new ResponseLogProbs(Arrays.copyOfRange(chosen, from, to),
        Arrays.copyOfRange(rejected, from, to));
  }

  /** The number of pairs. */
  int size() {
    return chosen.length;
  }
}
