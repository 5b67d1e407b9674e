package org.align4j.core.util;

import com.google.common.base.Strings;

/**
 * Argument checks for public API boundaries. Each throws {@link IllegalArgumentException} whose message names the
 * parameter and the rejected value, e.g. {@code "beta must be > 0, got -0.5"}.
 *
 * <p>Every method here builds its message only when the check fails: a check that passes costs its comparison, and
 * no string is built. {@link #check(boolean, String, Object...)} and its fixed-arity overloads take a template with
 * the contract of Guava's {@code Preconditions.checkArgument(boolean, String, Object...)}: each {@code %s} in the
 * template is replaced, in order, by {@code String.valueOf} of the next argument ({@code "null"} for null); arguments
 * left over after the last {@code %s} are appended as {@code " [a, b]"}; a {@code %s} left over when the arguments
 * run out stays as it is; no other {@code %} sequence is special; an argument whose {@code toString} throws is shown
 * as {@code <ClassName@hash threw ExceptionClass>}. So {@code check(n > 0, "n must be > 0, got %s", n)} gives the
 * message {@code "n must be > 0, got " + n}, but only on failure. The fixed-arity overloads for {@code char},
 * {@code int}, {@code long}, {@code double} and object arguments (the combinations this library's call sites use)
 * take each argument in its own type, so a passing check on a hot path neither boxes nor allocates a varargs array,
 * and each argument prints exactly as string concatenation would print it. {@link #check(boolean, String)} (no
 * arguments) uses its message as it is.
 *
 * <p>Why not call Guava's {@link com.google.common.base.Preconditions#checkArgument(boolean, String, Object...)}
 * directly: it has the same contract and the failure path here formats with Guava's own {@link
 * Strings#lenientFormat}, but Guava has no {@code double} overloads (a {@code double} argument would be boxed on
 * every call, pass or fail, and many of this library's checks take one), and the range helpers below
 * ({@link #positive}, {@link #inOpen}, ...) have no Guava counterpart, so keeping one entry point for argument
 * checks keeps call sites uniform.
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
      throw fail(name, "> 0", value);
    }
    return value;
  }

  /** Requires {@code value > 0}. */
  public static long positive(String name, long value) {
    if (value <= 0) {
      throw fail(name, "> 0", value);
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
      throw fail(name, ">= 0", value);
    }
    return value;
  }

  /** Requires {@code value >= 0}. */
  public static long nonNegative(String name, long value) {
    if (value < 0) {
      throw fail(name, ">= 0", value);
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

  /**
   * Requires a finite element {@code value} of the array {@code name} at {@code index}; the message names it as
   * {@code name[index]} (built only on failure, so a loop over an array allocates nothing).
   */
  public static double finite(String name, int index, double value) {
    if (!Double.isFinite(value)) {
      throw fail(name + "[" + index + "]", "finite", value);
    }
    return value;
  }

  /** Requires {@code lo < value < hi}. */
  public static double inOpen(String name, double value, double lo, double hi) {
    if (!(value > lo && value < hi)) {
      throw failRange(name, "in (", lo, hi, ")", value);
    }
    return value;
  }

  /** Requires {@code lo < value <= hi}. */
  public static double inOpenClosed(String name, double value, double lo, double hi) {
    if (!(value > lo && value <= hi)) {
      throw failRange(name, "in (", lo, hi, "]", value);
    }
    return value;
  }

  /** Requires {@code lo <= value < hi}. */
  public static double inClosedOpen(String name, double value, double lo, double hi) {
    if (!(value >= lo && value < hi)) {
      throw failRange(name, "in [", lo, hi, ")", value);
    }
    return value;
  }

  /** Requires {@code lo <= value <= hi}. */
  public static double inClosed(String name, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi)) {
      throw failRange(name, "in [", lo, hi, "]", value);
    }
    return value;
  }

  /** Requires a condition on an argument; the message is used as it is (it is not a template). */
  public static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * Requires a condition on an argument; on failure the message is {@code template} with each {@code %s} replaced by
   * the next argument (see the class comment for the exact rules). Prefer the fixed-arity overloads where they fit:
   * this form allocates its array on every call.
   */
  public static void check(boolean condition, String template, Object... args) {
    if (!condition) {
      throw failTemplate(template, args);
    }
  }

  /** {@link #check(boolean, String, Object...)} for one {@code char} argument. */
  public static void check(boolean condition, String template, char a) {
    if (!condition) {
      throw failTemplate(template, a);
    }
  }

  /** {@link #check(boolean, String, Object...)} for one {@code int} argument. */
  public static void check(boolean condition, String template, int a) {
    if (!condition) {
      throw failTemplate(template, a);
    }
  }

  /** {@link #check(boolean, String, Object...)} for one {@code long} argument. */
  public static void check(boolean condition, String template, long a) {
    if (!condition) {
      throw failTemplate(template, a);
    }
  }

  /** {@link #check(boolean, String, Object...)} for one {@code double} argument. */
  public static void check(boolean condition, String template, double a) {
    if (!condition) {
      throw failTemplate(template, a);
    }
  }

  /** {@link #check(boolean, String, Object...)} for one object argument. */
  public static void check(boolean condition, String template, Object a) {
    if (!condition) {
      throw failTemplate(template, a);
    }
  }

  /** {@link #check(boolean, String, Object...)} for two {@code int} arguments. */
  public static void check(boolean condition, String template, int a, int b) {
    if (!condition) {
      throw failTemplate(template, a, b);
    }
  }

  /** {@link #check(boolean, String, Object...)} for two {@code long} arguments. */
  public static void check(boolean condition, String template, long a, long b) {
    if (!condition) {
      throw failTemplate(template, a, b);
    }
  }

  /** {@link #check(boolean, String, Object...)} for two {@code double} arguments. */
  public static void check(boolean condition, String template, double a, double b) {
    if (!condition) {
      throw failTemplate(template, a, b);
    }
  }

  /** {@link #check(boolean, String, Object...)} for an {@code int} and a {@code double}. */
  public static void check(boolean condition, String template, int a, double b) {
    if (!condition) {
      throw failTemplate(template, a, b);
    }
  }

  /** {@link #check(boolean, String, Object...)} for an object and an {@code int}. */
  public static void check(boolean condition, String template, Object a, int b) {
    if (!condition) {
      throw failTemplate(template, a, b);
    }
  }

  /** {@link #check(boolean, String, Object...)} for an {@code int} and an object. */
  public static void check(boolean condition, String template, int a, Object b) {
    if (!condition) {
      throw failTemplate(template, a, b);
    }
  }

  /** {@link #check(boolean, String, Object...)} for two object arguments. */
  public static void check(boolean condition, String template, Object a, Object b) {
    if (!condition) {
      throw failTemplate(template, a, b);
    }
  }

  /** {@link #check(boolean, String, Object...)} for three {@code int} arguments. */
  public static void check(boolean condition, String template, int a, int b, int c) {
    if (!condition) {
      throw failTemplate(template, a, b, c);
    }
  }

  /** {@link #check(boolean, String, Object...)} for an object and two {@code int} arguments. */
  public static void check(boolean condition, String template, Object a, int b, int c) {
    if (!condition) {
      throw failTemplate(template, a, b, c);
    }
  }

  /** {@link #check(boolean, String, Object...)} for four {@code int} arguments. */
  public static void check(boolean condition, String template, int a, int b, int c, int d) {
    if (!condition) {
      throw failTemplate(template, a, b, c, d);
    }
  }

  /** {@link #check(boolean, String, Object...)} for an object and three {@code int} arguments. */
  public static void check(boolean condition, String template, Object a, int b, int c, int d) {
    if (!condition) {
      throw failTemplate(template, a, b, c, d);
    }
  }

  /** {@link #check(boolean, String, Object...)} for an object, two {@code int} arguments and an object. */
  public static void check(boolean condition, String template, Object a, int b, int c, Object d) {
    if (!condition) {
      throw failTemplate(template, a, b, c, d);
    }
  }

  /** {@link #check(boolean, String, Object...)} for three object arguments. */
  public static void check(boolean condition, String template, Object a, Object b, Object c) {
    if (!condition) {
      throw failTemplate(template, a, b, c);
    }
  }

  private static IllegalArgumentException failTemplate(String template, Object... args) {
    return new IllegalArgumentException(Strings.lenientFormat(template, args));
  }

  private static IllegalArgumentException fail(String name, String requirement, Object value) {
    return new IllegalArgumentException(name + " must be " + requirement + ", got " + value);
  }

  private static IllegalArgumentException failRange(
      String name, String open, double lo, double hi, String close, double value) {
    return fail(name, open + lo + ", " + hi + close, value);
  }
}
