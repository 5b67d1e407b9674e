package org.align4j.core.util;

/**
 * Argument checks for public API boundaries. Each throws {@link IllegalArgumentException} whose message names the
 * parameter and the rejected value, e.g. {@code "beta must be > 0, got -0.5"}.
 */
public final class Args {

  private Args() {}

  /** Requires {@code value > 0} (and not NaN). */
  public static double positive(String name, double value) {
    if (!(value > 0)) {
      throw fail(name, "> 0", value);
    }
    return value;
  }

  /** Requires {@code value > 0}. */
  public static int positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
    return value;
  }

  /** Requires {@code value > 0}. */
  public static long positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
    return value;
  }

  /** Requires {@code value >= 0} (and not NaN). */
  public static double nonNegative(String name, double value) {
    if (!(value >= 0)) {
      throw fail(name, ">= 0", value);
    }
    return value;
  }

  /** Requires {@code value >= 0}. */
  public static int nonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
    return value;
  }

  /** Requires {@code value >= 0}. */
  public static long nonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
    return value;
  }

  /** Requires a finite value (not NaN, not infinite). */
  public static double finite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw fail(name, "finite", value);
    }
    return value;
  }

  /** Requires {@code lo < value < hi}. */
  public static double inOpen(String name, double value, double lo, double hi) {
    if (!(value > lo && value < hi)) {
      throw fail(name, "in (" + lo + ", " + hi + ")", value);
    }
    return value;
  }

  /** Requires {@code lo < value <= hi}. */
  public static double inOpenClosed(String name, double value, double lo, double hi) {
    if (!(value > lo && value <= hi)) {
      throw fail(name, "in (" + lo + ", " + hi + "]", value);
    }
    return value;
  }

  /** Requires {@code lo <= value < hi}. */
  public static double inClosedOpen(String name, double value, double lo, double hi) {
    if (!(value >= lo && value < hi)) {
      throw fail(name, "in [" + lo + ", " + hi + ")", value);
    }
    return value;
  }

  /** Requires {@code lo <= value <= hi}. */
  public static double inClosed(String name, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi)) {
      throw fail(name, "in [" + lo + ", " + hi + "]", value);
    }
    return value;
  }

  /** Requires a condition on an argument, with a message naming it. */
  public static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  private static IllegalArgumentException fail(String name, String requirement, double value) {
    return new IllegalArgumentException(name + " must be " + requirement + ", got " + value);
  }
}
