package org.align4j.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The template form of {@link Args#check}: Guava's {@code checkArgument} semantics, formatted only on failure. */
class ArgsTemplateTest {

  /** Counts {@link #toString} calls; throws from it when asked to. */
  private static final class Probe {
    private final boolean throwing;
    private int calls;

    Probe(boolean throwing) {
      this.throwing = throwing;
    }

    @Override
    public String toString() {
      calls++;
      if (throwing) {
        throw new IllegalStateException("toString called");
      }
      return "probe";
    }
  }

  private static void fails(ThrowingCallable check, String message) {
    assertThatThrownBy(check).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void eachOverloadPrintsItsArgumentsAsConcatenationWould() {
    char c = 'x';
    int i = -7;
    long l = 3_000_000_000L;
    double d = 0.1;
    double tiny = 1e-7;
    Object o = List.of(1, 2);
    fails(() -> Args.check(false, "c=%s", c), "c=" + c);
    fails(() -> Args.check(false, "i=%s", i), "i=" + i);
    fails(() -> Args.check(false, "l=%s", l), "l=" + l);
    fails(() -> Args.check(false, "d=%s", d), "d=" + d);
    fails(() -> Args.check(false, "d=%s", tiny), "d=" + tiny);
    fails(() -> Args.check(false, "d=%s", Double.NaN), "d=" + Double.NaN);
    fails(() -> Args.check(false, "d=%s", -0.0), "d=" + -0.0);
    fails(() -> Args.check(false, "o=%s", o), "o=" + o);
    fails(() -> Args.check(false, "%s and %s", i, 4), i + " and " + 4);
    fails(() -> Args.check(false, "%s and %s", l, 5L), l + " and " + 5L);
    fails(() -> Args.check(false, "%s and %s", d, 2.5), d + " and " + 2.5);
    fails(() -> Args.check(false, "%s and %s", i, d), i + " and " + d);
    fails(() -> Args.check(false, "%s and %s", o, i), o + " and " + i);
    fails(() -> Args.check(false, "%s and %s", i, o), i + " and " + o);
    fails(() -> Args.check(false, "%s and %s", "a", o), "a and " + o);
    fails(() -> Args.check(false, "%s/%s/%s", 1, 2, 3), "1/2/3");
    fails(() -> Args.check(false, "%s/%s/%s", "r", 2, 3), "r/2/3");
    fails(() -> Args.check(false, "%s/%s/%s", "r", o, d), "r/" + o + "/" + d);
    fails(() -> Args.check(false, "%s[%s] %s %s", "x", 1, 2, 3), "x[1] 2 3");
    fails(() -> Args.check(false, "%s[%s] %s (%s)", "x", 1, 2, "y"), "x[1] 2 (y)");
    fails(() -> Args.check(false, "%s %s %s %s %s", "x", 1, 2, 3, "y"), "x 1 2 3 y");
  }

  @Test
  void nullArgumentsPrintAsNull() {
    fails(() -> Args.check(false, "got %s", (Object) null), "got null");
    fails(() -> Args.check(false, "%s and %s", null, null), "null and null");
    fails(() -> Args.check(false, "%s, %s, %s", null, 1, null), "null, 1, null");
  }

  @Test
  void extraArgumentsAreAppendedInBracketsAndMissingOnesLeaveTheirPlaceholder() {
    fails(() -> Args.check(false, "n must be > 0", -1), "n must be > 0 [-1]");
    fails(() -> Args.check(false, "got %s", 1, 2), "got 1 [2]");
    fails(() -> Args.check(false, "got %s", "a", "b", "c"), "got a [b, c]");
    fails(() -> Args.check(false, "%s, %s and %s", 1, 2), "1, 2 and %s");
    fails(() -> Args.check(false, "%s", new Object[0]), "%s");
  }

  @Test
  void onlyPercentSIsAPlaceholder() {
    fails(() -> Args.check(false, "rate 5% of %d, got %s", 0.5), "rate 5% of %d, got 0.5");
    fails(() -> Args.check(false, "%%s=%s", "v"), "%v=%s");
  }

  @Test
  void messageWithoutArgumentsIsUsedAsItIs() {
    fails(() -> Args.check(false, "100%s literal"), "100%s literal");
  }

  @Test
  void passingCheckNeverCallsToString() {
    Probe p = new Probe(true);
    assertThatCode(() -> {
      Args.check(true, "%s", p);
      Args.check(true, "%s %s", p, p);
      Args.check(true, "%s %s", p, 1);
      Args.check(true, "%s %s", 1, p);
      Args.check(true, "%s %s %s", p, p, p);
      Args.check(true, "%s %s %s", p, 1, 2);
      Args.check(true, "%s %s %s %s", p, 1, 2, 3);
      Args.check(true, "%s %s %s %s", p, 1, 2, p);
      Args.check(true, "%s %s %s %s %s", p, p, p, p, p);
    }).doesNotThrowAnyException();
    assertThat(p.calls).isZero();
  }

  @Test
  void failingCheckFormatsEachArgumentOnce() {
    Probe p = new Probe(false);
    fails(() -> Args.check(false, "got %s", p), "got probe");
    assertThat(p.calls).isEqualTo(1);
    fails(() -> Args.check(false, "%s %s %s %s %s", p, p, 1, 2, p), "probe probe 1 2 probe");
    assertThat(p.calls).isEqualTo(4);
  }

  @Test
  void anArgumentWhoseToStringThrowsStillGivesTheIllegalArgumentException() {
    assertThatThrownBy(() -> Args.check(false, "got %s", new Probe(true)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("got <")
        .hasMessageContaining("threw java.lang.IllegalStateException");
  }

  @Test
  void indexedFiniteNamesTheElement() {
    assertThat(Args.finite("knotX", 3, 1.5)).isEqualTo(1.5);
    fails(() -> Args.finite("knotX", 3, Double.NaN), "knotX[3] must be finite, got NaN");
    fails(() -> Args.finite("reference reward ", 0, Double.NEGATIVE_INFINITY),
        "reference reward [0] must be finite, got -Infinity");
  }

  @Test
  void passingChecksWithPrimitiveArgumentsAllocateNothing() {
    var bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
    var threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    long thread = Thread.currentThread().getId();
    int n = 1_000_000;
    String name = "logits";
    long before = threads.getThreadAllocatedBytes(thread);
    for (int k = 0; k < n; k++) {
      int big = k + 1000;
      Args.check(k >= 0, "%s", big);
      Args.check(k >= 0, "%s", (long) big);
      Args.check(k >= 0, "%s", big * 0.5);
      Args.check(k >= 0, "%s[%s]", big, big);
      Args.check(k >= 0, "%s %s", big, big * 0.5);
      Args.check(k >= 0, "%s %s", big * 0.5, big * 0.5);
      Args.check(k >= 0, "%s[%s]", name, big);
      Args.check(k >= 0, "%s[%s] %s %s", name, big, big, big);
      Args.finite(name, big, big * 0.5);
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    // Boxing or a varargs array on any of these calls would allocate at least 16 bytes per call: 16 MB in all.
    assertThat(allocated).isLessThan(n);
  }
}
