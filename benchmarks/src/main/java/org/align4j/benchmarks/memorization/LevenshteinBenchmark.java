package org.align4j.benchmarks.memorization;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.align4j.memorization.distance.Levenshtein;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How fast is the bit-parallel token-level Levenshtein distance against Apache Commons Text's
 * {@code LevenshteinDistance} (its unlimited {@code apply(CharSequence, CharSequence)}, token ids encoded as chars)?
 * Each invocation computes the distance of 16 pairs of token sequences of {@code length} tokens over an alphabet of
 * {@code alphabet} symbols (50,000: a tokenizer's vocabulary; 2, 4 and 16: bits, DNA, hex digits, where every
 * symbol recurs throughout a long pattern): either unrelated ({@code random}) or one a copy of the other with about
 * 30% random edits ({@code similar}, as a model's imperfect regurgitation). The setup checks that both give
 * identical results.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LevenshteinBenchmark {

  private static final int PAIRS = 16;

  @Param({"200", "1000"})
  public int length;

  @Param({"random", "similar"})
  public String pairs;

  @Param({"2", "4", "16", "50000"})
  public int alphabet;

  private final List<int[]> targets = new ArrayList<>();
  private final List<int[]> generated = new ArrayList<>();
  private final List<String> targetChars = new ArrayList<>();
  private final List<String> generatedChars = new ArrayList<>();
  private final LevenshteinDistance commons = LevenshteinDistance.getDefaultInstance();

  /** Builds the pairs and checks that both implementations agree on every one. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(42);
    for (int p = 0; p < PAIRS; p++) {
      int[] a = randomTokens(rnd, length, alphabet);
      int[] b = "random".equals(pairs)
          ? randomTokens(rnd, length, alphabet)
          : mutate(rnd, a, length * 3 / 10, alphabet);
      targets.add(a);
      generated.add(b);
      targetChars.add(asChars(a));
      generatedChars.add(asChars(b));
      int ours = Levenshtein.distance(a, b);
      int theirs = commons.apply(targetChars.get(p), generatedChars.get(p));
      if (ours != theirs) {
        throw new IllegalStateException("pair " + p + ": " + ours + " != commons-text " + theirs);
      }
    }
  }

  /** Baseline: Commons Text's full dynamic program. */
  @Benchmark
  public void commonsText(Blackhole bh) {
    for (int p = 0; p < PAIRS; p++) {
      bh.consume(commons.apply(targetChars.get(p), generatedChars.get(p)));
    }
  }

  /** Contender: the bit-parallel distance over the token arrays. */
  @Benchmark
  public void bitParallel(Blackhole bh) {
    for (int p = 0; p < PAIRS; p++) {
      bh.consume(Levenshtein.distance(targets.get(p), generated.get(p)));
    }
  }

  /** The thresholded variant at the auditor's default threshold (10% of the length). */
  @Benchmark
  public void bitParallelThreshold10Percent(Blackhole bh) {
    for (int p = 0; p < PAIRS; p++) {
      bh.consume(Levenshtein.distance(targets.get(p), generated.get(p), length / 10));
    }
  }

  private static int[] randomTokens(SplittableRandom rnd, int n, int alphabet) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = rnd.nextInt(alphabet);
    }
    return out;
  }

  private static int[] mutate(SplittableRandom rnd, int[] a, int edits, int alphabet) {
    List<Integer> list = new ArrayList<>();
    for (int x : a) {
      list.add(x);
    }
    for (int e = 0; e < edits; e++) {
      int kind = rnd.nextInt(3);
      if (kind == 0) {
        list.add(rnd.nextInt(list.size() + 1), rnd.nextInt(alphabet));
      } else if (kind == 1 && !list.isEmpty()) {
        list.remove(rnd.nextInt(list.size()));
      } else if (!list.isEmpty()) {
        list.set(rnd.nextInt(list.size()), rnd.nextInt(alphabet));
      }
    }
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String asChars(int[] tokens) {
    char[] c = new char[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      c[i] = (char) tokens[i];
    }
    return new String(c);
  }
}
