package org.align4j.memorization.canary;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.util.Args;

/**
 * Canaries drawn from one format with a seed: for each insertion count, {@code perCount} canaries, plus reference
 * canaries that are never inserted. {@link #insertInto} adds the copies to a training set at seeded positions.
 *
 * <pre>{@code
 * CanarySet canaries = CanarySet.generate(CanaryFormat.of("my pin is {digits:4}"), List.of(1, 10, 100), 2, 4, 7);
 * Dataset<TextExample> training = canaries.insertInto(corpus);
 * }</pre>
 */
public final class CanarySet {

  private final CanaryFormat format;
  private final List<Canary> canaries;
  private final long seed;

  private CanarySet(CanaryFormat format, List<Canary> canaries, long seed) {
    this.format = format;
    this.canaries = List.copyOf(canaries);
    this.seed = seed;
  }

  /**
   * Draws distinct canaries.
   *
   * @param format the template
   * @param insertionCounts the insertion counts to test (each >= 1)
   * @param perCount canaries per insertion count (>= 1)
   * @param references never-inserted reference canaries (>= 0)
   * @param seed seed of the draws and of the insertion positions
   * @throws IllegalArgumentException when the format's space is too small for that many distinct canaries
   */
  public static CanarySet generate(CanaryFormat format, List<Integer> insertionCounts, int perCount,
      int references, long seed) {
    Objects.requireNonNull(format, "format");
    Args.positive("perCount", perCount);
    Args.nonNegative("references", references);
    List<Integer> counts = new ArrayList<>();
    for (int c : insertionCounts) {
      counts.add(Args.positive("insertionCounts", c));
    }
    long wanted = (long) counts.size() * perCount + references;
    Args.check(format.size().compareTo(java.math.BigInteger.valueOf(wanted * 4)) >= 0,
        "canary format '%s' has only %s candidates, too few for %s distinct canaries", format, format.size(), wanted);
    SplittableRandom rnd = new SplittableRandom(seed);
    Set<String> used = new HashSet<>();
    List<Canary> out = new ArrayList<>();
    for (int c : counts) {
      for (int k = 0; k < perCount; k++) {
        out.add(new Canary("canary-" + out.size(), format.template(), fresh(format, rnd, used), c));
      }
    }
    for (int k = 0; k < references; k++) {
      out.add(new Canary("canary-" + out.size(), format.template(), fresh(format, rnd, used), 0));
    }
    return new CanarySet(format, out, seed);
  }

  private static String fresh(CanaryFormat format, SplittableRandom rnd, Set<String> used) {
    while (true) {
      String text = format.random(rnd);
      if (used.add(text)) {
        return text;
      }
    }
  }

  /** The format. */
  public CanaryFormat format() {
    return format;
  }

  /** Every canary, inserted ones first, then the references. */
  public List<Canary> canaries() {
    return canaries;
  }

  /**
   * A lazy view of {@code training} with each canary's copies inserted at positions drawn from the seed (uniform
   * over the gaps between examples). Counts the examples in one pass first; each later pass yields the same
   * sequence. Copies have ids {@code "<canary id>-copy-<k>"} and metadata {@code canary} (its id) and
   * {@code insertions}.
   */
  public Dataset<TextExample> insertInto(Dataset<TextExample> training) {
    Objects.requireNonNull(training, "training");
    long n;
    try (Stream<TextExample> s = training.stream()) {
      n = s.count();
    }
    List<long[]> placements = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    for (int c = 0; c < canaries.size(); c++) {
      for (int k = 0; k < canaries.get(c).insertions(); k++) {
        placements.add(new long[] {rnd.nextLong(n + 1), c, k});
      }
    }
    placements.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1] * 1_000_000 + a[2],
        b[1] * 1_000_000 + b[2]));
    long[][] sorted = placements.toArray(new long[0][]);
    String name = training.name() + "+canaries(seed=" + seed + ")";
    return new Dataset<>() {
      @Override
      public Stream<TextExample> stream() {
        Stream<TextExample> base = training.stream();
        Iterator<TextExample> it = base.iterator();
        Iterator<TextExample> merged = new Iterator<>() {
          private long position;
          private int next;

          @Override
          public boolean hasNext() {
            return next < sorted.length || it.hasNext();
          }

          @Override
          public TextExample next() {
            if (next < sorted.length && (sorted[next][0] <= position || !it.hasNext())) {
              long[] p = sorted[next++];
              Canary c = canaries.get((int) p[1]);
              return new TextExample(c.id() + "-copy-" + p[2], c.text(),
                  Map.of("canary", c.id(), "insertions", c.insertions()));
            }
            position++;
            return it.next();
          }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(merged, Spliterator.ORDERED), false)
            .onClose(base::close);
      }

      @Override
      public String name() {
        return name;
      }
    };
  }
}
