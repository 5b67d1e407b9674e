package org.align4j.rewardmodel.calibration;

import java.util.Objects;
import java.util.function.ToDoubleBiFunction;

/**
 * A numeric feature of a response that a reward may be biased by (its length by default). The name identifies the
 * feature in a saved {@link Calibration}, so that a calibration is applied only with the feature it was fitted on.
 */
public interface ResponseFeature {

  /** The name of the response length in characters. */
  String RESPONSE_LENGTH = "response_length";
  /** The name of the prompt-plus-response length in characters. */
  String TEXT_LENGTH = "text_length";

  /** The feature's name, e.g. {@code "response_length"}. */
  String name();

  /** The feature's value for {@code response} to {@code prompt}; finite. */
  double value(String prompt, String response);

  /** The response length in Unicode code points (what Python's {@code len} counts). */
  static ResponseFeature responseLength() {
    return of(RESPONSE_LENGTH, (prompt, response) -> response.codePointCount(0, response.length()));
  }

  /** The prompt length plus the response length, in Unicode code points (the length penalty's feature). */
  static ResponseFeature textLength() {
    return of(TEXT_LENGTH, (prompt, response) ->
        prompt.codePointCount(0, prompt.length()) + response.codePointCount(0, response.length()));
  }

  /** A feature from a name and a function of (prompt, response). */
  static ResponseFeature of(String name, ToDoubleBiFunction<String, String> function) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(function, "function");
    return new ResponseFeature() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public double value(String prompt, String response) {
        return function.applyAsDouble(prompt, response);
      }

      @Override
      public String toString() {
        return "ResponseFeature[" + name + "]";
      }
    };
  }
}
