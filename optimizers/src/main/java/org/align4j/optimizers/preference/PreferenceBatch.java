package org.align4j.optimizers.preference;

import org.align4j.core.util.Args;

/**
 * A batch of preference pairs reduced to what the losses read: summed completion log-probabilities under the
 * policy and the reference, and completion token counts. The arrays are copied on construction; the accessors
 * return the copies, which callers must not modify.
 *
 * @param policyChosen policy log-probability of each chosen completion (sum over its tokens)
 * @param policyRejected policy log-probability of each rejected completion
 * @param referenceChosen reference log-probability of each chosen completion
 * @param referenceRejected reference log-probability of each rejected completion
 * @param chosenTokens token count of each chosen completion ({@code >= 0}; 0 for an empty completion)
 * @param rejectedTokens token count of each rejected completion
 */
public record PreferenceBatch(
    double[] policyChosen,
    double[] policyRejected,
    double[] referenceChosen,
    double[] referenceRejected,
    int[] chosenTokens,
    int[] rejectedTokens) {

  /** Validates: non-empty, equal lengths, finite log-probabilities, non-negative counts. */
  public PreferenceBatch {
    Args.check(policyChosen != null && policyRejected != null && referenceChosen != null
        && referenceRejected != null && chosenTokens != null && rejectedTokens != null,
        "preference batch arrays must not be null");
    int n = policyChosen.length;
    Args.check(n > 0, "preference batch is empty: policyChosen has length 0");
    sameLength("policyRejected", policyRejected.length, n);
    sameLength("referenceChosen", referenceChosen.length, n);
    sameLength("referenceRejected", referenceRejected.length, n);
    sameLength("chosenTokens", chosenTokens.length, n);
    sameLength("rejectedTokens", rejectedTokens.length, n);
    policyChosen = finiteCopy("policyChosen", policyChosen);
    policyRejected = finiteCopy("policyRejected", policyRejected);
    referenceChosen = finiteCopy("referenceChosen", referenceChosen);
    referenceRejected = finiteCopy("referenceRejected", referenceRejected);
    chosenTokens = countsCopy("chosenTokens", chosenTokens);
    rejectedTokens = countsCopy("rejectedTokens", rejectedTokens);
  }

  /** A batch without a reference model (reference log-probabilities taken as 0). */
  public static PreferenceBatch referenceFree(
      double[] policyChosen, double[] policyRejected, int[] chosenTokens, int[] rejectedTokens) {
    Args.check(policyChosen != null, "policyChosen must not be null");
    return new PreferenceBatch(policyChosen, policyRejected, new double[policyChosen.length],
        new double[policyChosen.length], chosenTokens, rejectedTokens);
  }

  /** The number of pairs. */
  public int size() {
    return policyChosen.length;
  }

  private static void sameLength(String name, int length, int expected) {
    Args.check(length == expected, "%s has length %s, expected %s (the length of policyChosen)", name, length,
        expected);
  }

  private static double[] finiteCopy(String name, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        Args.finite(name + "[" + i + "]", values[i]);
      }
    }
    return values.clone();
  }

  private static int[] countsCopy(String name, int[] counts) {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        Args.nonNegative(name + "[" + i + "]", counts[i]);
      }
    }
    return counts.clone();
  }
}
