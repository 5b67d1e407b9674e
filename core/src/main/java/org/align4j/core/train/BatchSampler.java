package org.align4j.core.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws the indices of the examples that form each batch of a {@link TrainingLoop} (and each logical batch of
 * DP-SGD). A sampler is stateful and seeded: the same seed gives the same sequence of batches.
 */
public interface BatchSampler {

  /** The indices (distinct, in {@code [0, n)}) of the next batch; may be empty; ascending for Poisson sampling. */
  int[] next();

  /** The number of examples sampled from. */
  int size();

  /** The probability that an example joins a batch, the {@code q} the accountant is told. */
  double sampleRate();

  /** The expected batch size {@code q * n}, by which the summed gradient is divided. */
  default double expectedBatchSize() {
    return sampleRate() * size();
  }

  /** The items of {@code items} at {@code indices}, in the order of the indices (a batch drawn by a sampler). */
  static <T> List<T> select(List<T> items, int[] indices) {
    List<T> out = new ArrayList<>(indices.length);
    for (int i : indices) {
      out.add(items.get(i));
    }
    return out;
  }
}
