package org.align4j.memorization.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * Counts of values in equal-width bins over {@code [lo, hi]}; values below {@code lo} go to the first bin, values
 * above {@code hi} (and {@code hi} itself) to the last.
 *
 * @param lo lower edge of the first bin
 * @param hi upper edge of the last bin ({@code > lo})
 * @param counts count per bin, at least one bin, immutable
 */
public record Histogram(double lo, double hi, List<Long> counts) {

  /** Validates and copies. */
  public Histogram {
    Args.finite("lo", lo);
    Args.finite("hi", hi);
    Args.check(hi > lo, "hi must be > lo, got %s <= %s", hi, lo);
    Objects.requireNonNull(counts, "counts");
    Args.check(!counts.isEmpty(), "counts must hold at least one bin");
    counts = List.copyOf(counts);
  }

  /** The bin index of {@code value} for {@code bins} bins over {@code [lo, hi]}. */
  public static int bin(double value, double lo, double hi, int bins) {
    if (!(value > lo)) {
      return 0;
    }
    return (int) Math.min(bins - 1, Math.floor((value - lo) / (hi - lo) * bins));
  }

  /** A histogram from raw bin counts. */
  public static Histogram of(double lo, double hi, long[] counts) {
    List<Long> list = new ArrayList<>(counts.length);
    for (long c : counts) {
      list.add(c);
    }
    return new Histogram(lo, hi, list);
  }

  /** Total count. */
  public long total() {
    return counts.stream().mapToLong(Long::longValue).sum();
  }
}
