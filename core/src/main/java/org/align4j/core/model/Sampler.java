package org.align4j.core.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from a row of logits: greedy (argmax, lowest id on ties) or sampled with temperature,
 * top-k and top-p. Token ids in {@code banned} (BOS and PAD) are never picked.
 */
final class Sampler {

  private final GenerationConfig config;
  private final int[] banned;

  Sampler(GenerationConfig config, int... banned) {
    this.config = config;
    this.banned = banned.clone();
  }

  /** The next token for one row, drawing from {@code random} when sampling. */
  int next(float[] logits, SplittableRandom random) {
    for (int id : banned) {
      logits[id] = Float.NEGATIVE_INFINITY;
    }
    if (config.isGreedy()) {
      return argmax(logits);
    }
    int v = logits.length;
    double[] scaled = new double[v];
    for (int i = 0; i < v; i++) {
      scaled[i] = logits[i] / config.temperature();
    }
    if (config.topK() > 0 && config.topK() < v) {
      double[] sorted = scaled.clone();
      Arrays.sort(sorted);
      double kth = sorted[v - config.topK()];
      for (int i = 0; i < v; i++) {
        if (scaled[i] < kth) {
          scaled[i] = Double.NEGATIVE_INFINITY;
        }
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scaled) {
      max = Math.max(max, s);
    }
    double total = 0;
    double[] probs = new double[v];
    for (int i = 0; i < v; i++) {
      probs[i] = Math.exp(scaled[i] - max);
      total += probs[i];
    }
    for (int i = 0; i < v; i++) {
      probs[i] /= total;
    }
    if (config.topP() < 1) {
      nucleus(probs, config.topP());
    }
    double u = random.nextDouble();
    double cumulative = 0;
    int last = -1;
    for (int i = 0; i < v; i++) {
      if (probs[i] > 0) {
        cumulative += probs[i];
        last = i;
        if (u < cumulative) {
          return i;
        }
      }
    }
    return last;
  }

  /** Keeps the smallest set of most likely tokens whose mass reaches {@code p}, renormalised. */
  private static void nucleus(double[] probs, double p) {
    Integer[] order = new Integer[probs.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> probs[b] != probs[a] ? Double.compare(probs[b], probs[a]) : Integer.compare(a, b));
    double cumulative = 0;
    int keep = 0;
    while (keep < order.length && cumulative < p) {
      cumulative += probs[order[keep]];
      keep++;
    }
    for (int i = keep; i < order.length; i++) {
      probs[order[i]] = 0;
    }
    for (int i = 0; i < keep; i++) {
      probs[order[i]] /= cumulative;
    }
  }

  static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
