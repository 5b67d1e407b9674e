package org.align4j.optimizers.preference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.align4j.core.testing.ReferenceData;

/** Reads rlhf_vectors.json and compares arrays with its tolerances (rtol 1e-9, atol 1e-12). */
public final class RlhfVectors {

  /** Relative tolerance for float64 code. */
  public static final double RTOL = 1e-9;
  /** Absolute tolerance for float64 code. */
  public static final double ATOL = 1e-12;

  private static final JsonNode ROOT = load();

  private RlhfVectors() {}

  /** The parsed JSON. */
  public static JsonNode root() {
    return ROOT;
  }

  /** A JSON array of numbers. */
  public static double[] doubles(JsonNode node) {
    assertThat(node.isArray()).as("array node").isTrue();
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).asDouble();
    }
    return out;
  }

  /** A JSON array of integers. */
  public static int[] ints(JsonNode node) {
    int[] out = new int[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).asInt();
    }
    return out;
  }

  /** A JSON array of arrays of numbers. */
  public static double[][] matrix(JsonNode node) {
    double[][] out = new double[node.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = doubles(node.get(i));
    }
    return out;
  }

  /** Asserts {@code |actual - expected| <= atol + rtol * |expected|}. */
  public static void assertClose(String what, double actual, double expected, double rtol, double atol) {
    assertThat(Math.abs(actual - expected))
        .as("%s: actual %s, expected %s", what, actual, expected)
        .isLessThanOrEqualTo(atol + rtol * Math.abs(expected));
  }

  /** {@link #assertClose(String, double, double, double, double)} at the float64 tolerances. */
  public static void assertClose(String what, double actual, double expected) {
    assertClose(what, actual, expected, RTOL, ATOL);
  }

  /** Element-wise comparison of equal-length arrays. */
  public static void assertClose(String what, double[] actual, double[] expected, double rtol, double atol) {
    assertThat(actual).as("%s length", what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertClose(what + "[" + i + "]", actual[i], expected[i], rtol, atol);
    }
  }

  /** Element-wise comparison at the float64 tolerances. */
  public static void assertClose(String what, double[] actual, double[] expected) {
    assertClose(what, actual, expected, RTOL, ATOL);
  }

  /** Element-wise comparison of matrices at the float64 tolerances. */
  public static void assertClose(String what, double[][] actual, double[][] expected) {
    assertThat(actual.length).as("%s rows", what).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertClose(what + "[" + i + "]", actual[i], expected[i]);
    }
  }

  /** Asserts every value is finite (no NaN, no infinity). */
  public static void assertFinite(String what, double[] values) {
    for (int i = 0; i < values.length; i++) {
      assertThat(Double.isFinite(values[i])).as("%s[%d] = %s is finite", what, i, values[i]).isTrue();
    }
  }

  private static JsonNode load() {
    try {
      return new ObjectMapper().readTree(ReferenceData.text("rlhf_vectors.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
