package org.align4j.core.data.synthetic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.util.Args;

/**
 * The embedded default data: a seeded synthetic corpus of small code snippets for memorization experiments.
 *
 * <p>Each unique example is a small Python-like or Java-like function or class (parsers, validators, unit
 * converters, score computations, config loaders, HTTP clients) with random but plausible identifiers, constants,
 * strings and comments, so that its body cannot be predicted from its first few bytes. Texts are mostly 200 to 600
 * characters. A chosen fraction of the examples carry one PII-like value (an e-mail address, a personal URL with a
 * token, an API-key-like token such as {@code sk_live_...}, or a phone number) somewhere after the first line.
 *
 * <p>Every unique example also gets a duplication count: the counts are the powers of two up to
 * {@code maxDuplicates} (1, 2, 4, 8, 16, 32 by default; plus {@code maxDuplicates} itself when it is not a power
 * of two), spread evenly over the examples in a seeded random assignment (a log-uniform distribution). The
 * {@link #trainingSet()} repeats each example that many times, in a seeded shuffled order, so that how often a
 * text was seen in training can be related to how well a model memorized it.
 *
 * <p>Example metadata: {@code duplicates} (Integer), {@code has_pii} (Boolean), {@code template} (String, e.g.
 * {@code "py_http_client"}), {@code language} ({@code "python"} or {@code "java"}), and for PII examples
 * {@code pii_type} ({@code "email"}, {@code "url"}, {@code "api_key"} or {@code "phone"}) and {@code pii_value}
 * (the planted string). Copies in the training set add {@code copy} (1-based).
 *
 * <p>Everything is a function of the builder's settings: the same seed gives the same corpus on every run, and
 * examples are generated on demand rather than stored.
 *
 * <pre>{@code
 * SyntheticCodeCorpus corpus = SyntheticCodeCorpus.builder().seed(7).uniqueExamples(500).build();
 * TrainTestSplit<TextExample> split = Datasets.split(corpus.examples(), 0.1, 7);
 * Dataset<TextExample> train = corpus.trainingSet(split.train()); // held-out examples never seen
 * }</pre>
 */
public final class SyntheticCodeCorpus {

  private final long seed;
  private final int uniqueExamples;
  private final int maxDuplicates;
  private final double piiFraction;
  private final double pythonFraction;
  private final int[] duplicates;
  private final boolean[] hasPii;
  private final boolean[] python;
  private final String idFormat;

  private SyntheticCodeCorpus(Builder b) {
    this.seed = b.seed;
    this.uniqueExamples = b.uniqueExamples;
    this.maxDuplicates = b.maxDuplicates;
    this.piiFraction = b.piiFraction;
    this.pythonFraction = b.pythonFraction;
    int n = uniqueExamples;
    this.idFormat = "code-%0" + Math.max(5, Integer.toString(n - 1).length()) + "d";

    List<Integer> buckets = new ArrayList<>();
    for (int d = 1; d <= maxDuplicates; d *= 2) {
      buckets.add(d);
    }
    if (buckets.get(buckets.size() - 1) != maxDuplicates) {
      buckets.add(maxDuplicates);
    }
    this.duplicates = new int[n];
    int[] order = permutation(n, new Random(mix(seed, 1)));
    for (int k = 0; k < n; k++) {
      duplicates[order[k]] = buckets.get(k % buckets.size());
    }
    this.hasPii = new boolean[n];
    order = permutation(n, new Random(mix(seed, 2)));
    for (int k = 0; k < Math.round(piiFraction * n); k++) {
      hasPii[order[k]] = true;
    }
    this.python = new boolean[n];
    order = permutation(n, new Random(mix(seed, 3)));
    for (int k = 0; k < Math.round(pythonFraction * n); k++) {
      python[order[k]] = true;
    }
  }

  /** A builder with defaults: seed 0, 1000 unique examples, 32 max duplicates, 10% PII, half Python. */
  public static Builder builder() {
    return new Builder();
  }

  /** The seed all random choices derive from. */
  public long seed() {
    return seed;
  }

  /** The number of unique examples. */
  public int uniqueExamples() {
    return uniqueExamples;
  }

  /** The largest duplication count. */
  public int maxDuplicates() {
    return maxDuplicates;
  }

  /** The fraction of unique examples that carry PII (rounded to a whole number of examples). */
  public double piiFraction() {
    return piiFraction;
  }

  /** The fraction of unique examples written in Python (the rest are Java; rounded to whole examples). */
  public double pythonFraction() {
    return pythonFraction;
  }

  /** The names of the templates, Python ones first. */
  public static List<String> templateNames() {
    return Stream.concat(PythonTemplates.ALL.stream(), JavaTemplates.ALL.stream()).map(Template::name).toList();
  }

  /** The unique examples, ids {@code code-00000}, {@code code-00001}, ... in order, generated on demand. */
  public Dataset<TextExample> examples() {
    String name = "synthetic-code(seed=" + seed + ", n=" + uniqueExamples + ")";
    return new Dataset<>() {
      @Override
      public Stream<TextExample> stream() {
        return IntStream.range(0, uniqueExamples).mapToObj(SyntheticCodeCorpus.this::example);
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  /** The unique example number {@code index} (0-based). */
  public TextExample example(int index) {
    Args.check(index >= 0 && index < uniqueExamples, "index must be in [0, %s), got %s", uniqueExamples, index);
    Random r = new Random(mix(seed, 1000L + index));
    List<Template> templates = python[index] ? PythonTemplates.ALL : JavaTemplates.ALL;
    Template template = templates.get(r.nextInt(templates.size()));
    Pii pii = hasPii[index] ? Pii.random(r) : null;
    String text = template.render(r, pii);
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("duplicates", duplicates[index]);
    metadata.put("has_pii", hasPii[index]);
    metadata.put("template", template.name());
    metadata.put("language", template.language());
    if (pii != null) {
      metadata.put("pii_type", pii.type());
      metadata.put("pii_value", pii.value());
    }
    return new TextExample(String.format(Locale.ROOT, idFormat, index), text, metadata);
  }

  /**
   * The training set: every unique example repeated {@code duplicates} times (ids {@code code-00017#1},
   * {@code code-00017#2}, ...), in a seeded shuffled order. Equivalent to {@code trainingSet(examples())}.
   */
  public Dataset<TextExample> trainingSet() {
    return trainingSet(examples());
  }

  /**
   * Repeats each example of {@code subset} as many times as its {@code duplicates} metadata says, in an order
   * shuffled with this corpus's seed; use it to train on part of the corpus (for example the train side of
   * {@link org.align4j.core.data.Datasets#split}) while holding the rest out. The subset's examples are read into
   * memory once, when this is called; the copies are made as the stream is read.
   *
   * @throws IllegalArgumentException if an example lacks a positive integer {@code duplicates} metadata value
   */
  public Dataset<TextExample> trainingSet(Dataset<TextExample> subset) {
    List<TextExample> originals = subset.toList();
    long total = 0;
    for (TextExample e : originals) {
      Object d = e.metadata().get("duplicates");
      if (!(d instanceof Integer count) || count < 1) {
        throw new IllegalArgumentException(
            "example " + e.id() + " needs a positive integer \"duplicates\" metadata value, got " + d);
      }
      total += count;
    }
    Args.check(total <= Integer.MAX_VALUE, "training set too large: %s copies", total);
    long[] copies = new long[(int) total];
    int k = 0;
    for (int i = 0; i < originals.size(); i++) {
      int count = (Integer) originals.get(i).metadata().get("duplicates");
      for (int c = 1; c <= count; c++) {
        copies[k++] = ((long) i << 32) | c;
      }
    }
    Random random = new Random(mix(seed, 4));
    for (int i = copies.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long swap = copies[i];
      copies[i] = copies[j];
      copies[j] = swap;
    }
    String name = subset.name() + " training(duplicated, seed=" + seed + ")";
    return new Dataset<>() {
      @Override
      public Stream<TextExample> stream() {
        return Arrays.stream(copies).mapToObj(packed -> {
          TextExample e = originals.get((int) (packed >>> 32));
          int copy = (int) packed;
          Map<String, Object> metadata = new HashMap<>(e.metadata());
          metadata.put("copy", copy);
          return new TextExample(e.id() + "#" + copy, e.text(), metadata);
        });
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  @Override
  public String toString() {
    return "SyntheticCodeCorpus(seed=" + seed + ", uniqueExamples=" + uniqueExamples + ", maxDuplicates="
        + maxDuplicates + ", piiFraction=" + piiFraction + ", pythonFraction=" + pythonFraction + ")";
  }

  private static int[] permutation(int n, Random random) {
    int[] p = IntStream.range(0, n).toArray();
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = p[i];
      p[i] = p[j];
      p[j] = swap;
    }
    return p;
  }

  /** A well-mixed seed for stream {@code stream} of the corpus seed (SplitMix64's finaliser). */
  private static long mix(long seed, long stream) {
    long z = seed * 0x9E3779B97F4A7C15L + stream * 0xD1B54A32D192ED03L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Builds a {@link SyntheticCodeCorpus}. */
  public static final class Builder {
    private long seed;
    private int uniqueExamples = 1000;
    private int maxDuplicates = 32;
    private double piiFraction = 0.1;
    private double pythonFraction = 0.5;

    private Builder() {}

    /** The seed of every random choice. Default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The number of unique examples, at least 1. Default 1000. */
    public Builder uniqueExamples(int uniqueExamples) {
      this.uniqueExamples = Args.positive("uniqueExamples", uniqueExamples);
      return this;
    }

    /** The largest duplication count, in [1, 1024]. Default 32. */
    public Builder maxDuplicates(int maxDuplicates) {
      Args.check(maxDuplicates >= 1 && maxDuplicates <= 1024, "maxDuplicates must be in [1, 1024], got %s",
          maxDuplicates);
      this.maxDuplicates = maxDuplicates;
      return this;
    }

    /** The fraction of unique examples carrying a PII-like value, in [0, 1]. Default 0.1. */
    public Builder piiFraction(double piiFraction) {
      this.piiFraction = Args.inClosed("piiFraction", piiFraction, 0, 1);
      return this;
    }

    /** The language mix: the fraction of Python examples, in [0, 1]; the rest are Java. Default 0.5. */
    public Builder pythonFraction(double pythonFraction) {
      this.pythonFraction = Args.inClosed("pythonFraction", pythonFraction, 0, 1);
      return this;
    }

    /** The corpus. */
    public SyntheticCodeCorpus build() {
      return new SyntheticCodeCorpus(this);
    }
  }
}
