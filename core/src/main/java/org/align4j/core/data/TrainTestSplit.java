package org.align4j.core.data;

import java.util.Objects;

/**
 * A data set cut in two by {@link Datasets#split}: each example is in exactly one of the parts.
 *
 * @param train the examples to train on
 * @param test the held-out examples
 * @param <T> the example type
 */
public record TrainTestSplit<T>(Dataset<T> train, Dataset<T> test) {

  /** Validates the parts. */
  public TrainTestSplit {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
  }
}
