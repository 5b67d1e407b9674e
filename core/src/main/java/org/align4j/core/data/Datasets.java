package org.align4j.core.data;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.align4j.core.util.Args;

/**
 * Seeded operations on data sets: a streaming train/test split, shuffling, reservoir sampling.
 * Fingerprints are {@link DataFingerprint}'s. The same seed gives the same result on every run and every JVM.
 */
public final class Datasets {

  private static final long SPLIT_KEY = 0x616C69676E346A4CL; // "align4jL": the fixed second half of the hash key

  private Datasets() {}

  /**
   * Splits {@link TextExample}s or {@link PreferencePair}s by their id; see
   * {@link #split(Dataset, double, long, Function)}.
   *
   * @throws IllegalArgumentException while streaming, if an example is neither a TextExample nor a PreferencePair
   */
  public static <T> TrainTestSplit<T> split(Dataset<T> dataset, double testFraction, long seed) {
    return split(dataset, testFraction, seed, Datasets::idOf);
  }

  /**
   * Splits {@code dataset} into train and test without materialising it: an example goes to the test part when a
   * seeded hash (SipHash-2-4 keyed by {@code seed}) of its {@code key}, read as a number in [0, 1), is below
   * {@code testFraction}. Both parts are lazy views that filter a fresh pass over {@code dataset}, so every pass
   * gives the same parts, in the data set's order, and an example keeps its side when other examples are added or
   * removed. The test part holds about {@code testFraction} of the examples; examples with equal keys always land
   * on the same side.
   *
   * @param key a stable key of each example, usually its id
   */
  public static <T> TrainTestSplit<T> split(
      Dataset<T> dataset, double testFraction, long seed, Function<? super T, String> key) {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(key, "key");
    Args.inClosed("testFraction", testFraction, 0, 1);
    HashFunction hash = Hashing.sipHash24(seed, SPLIT_KEY);
    Function<T, Boolean> inTest = t -> {
      long h = hash.hashString(key.apply(t), StandardCharsets.UTF_8).asLong();
      return (h >>> 11) * 0x1.0p-53 < testFraction;
    };
    String suffix = "(fraction=" + testFraction + ", seed=" + seed + ")";
    return new TrainTestSplit<>(
        view(dataset.filter(t -> !inTest.apply(t)), dataset.name() + " train" + suffix),
        view(dataset.filter(inTest::apply), dataset.name() + " test" + suffix));
  }

  /**
   * The examples of {@code dataset} in a seeded random order (a Fisher-Yates shuffle driven by
   * {@code new java.util.Random(seed)}). This reads the whole data set into memory.
   */
  public static <T> Dataset<T> shuffle(Dataset<T> dataset, long seed) {
    List<T> items = new ArrayList<>(dataset.toList());
    Random random = new Random(seed);
    for (int i = items.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T swap = items.get(i);
      items.set(i, items.get(j));
      items.set(j, swap);
    }
    return Dataset.of(dataset.name() + " shuffled(seed=" + seed + ")", items);
  }

  /**
   * A uniform random sample of {@code n} examples (all of them if there are fewer), drawn in one streaming pass by
   * reservoir sampling seeded with {@code seed}; only {@code n} examples are held in memory. The sample keeps the
   * examples' order in {@code dataset}.
   */
  public static <T> Dataset<T> sample(Dataset<T> dataset, int n, long seed) {
    Args.nonNegative("n", n);
    List<Indexed<T>> reservoir = new ArrayList<>(n);
    Random random = new Random(seed);
    long seen = 0;
    try (Stream<T> stream = dataset.stream()) {
      Iterator<T> it = stream.iterator();
      while (it.hasNext()) {
        T item = it.next();
        if (reservoir.size() < n) {
          reservoir.add(new Indexed<>(seen, item));
        } else {
          long j = random.nextLong(seen + 1);
          if (j < n) {
            reservoir.set((int) j, new Indexed<>(seen, item));
          }
        }
        seen++;
      }
    }
    reservoir.sort(Comparator.comparingLong(Indexed::position));
    List<T> inOrder = reservoir.stream().map(Indexed::item).toList();
    return Dataset.of(dataset.name() + " sample(n=" + n + ", seed=" + seed + ")", inOrder);
  }

  private record Indexed<T>(long position, T item) {}

  private static String idOf(Object example) {
    if (example instanceof TextExample t) {
      return t.id();
    }
    if (example instanceof PreferencePair p) {
      return p.id();
    }
    throw new IllegalArgumentException("cannot split by id: " + example.getClass().getName()
        + " is neither a TextExample nor a PreferencePair; pass a key function");
  }

  private static <T> Dataset<T> view(Dataset<T> dataset, String name) {
    return new Dataset<>() {
      @Override
      public Stream<T> stream() {
        return dataset.stream();
      }

      @Override
      public String name() {
        return name;
      }
    };
  }
}
