package org.align4j.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.align4j.core.util.Args;

/**
 * Learns the merges of a {@link BpeTokenizer} from a corpus.
 *
 * <p>The corpus is cut into chunks by the {@link PreTokenizer} and only the distinct chunks with their frequencies
 * are kept. Pair counts over those chunks are computed once and then updated incrementally: a merge revisits only
 * the chunks that contain the merged pair. The most frequent pair is merged next; ties go to the pair with the
 * smaller left id, then the smaller right id, so training is deterministic and needs no seed. Training stops at the
 * target vocabulary size or when no pair occurs at least {@link Builder#minFrequency} times.
 *
 * <pre>{@code
 * BpeTokenizer tokenizer = BpeTrainer.builder().vocabSize(1024).build().train(texts);
 * }</pre>
 */
public final class BpeTrainer {

  private final int vocabSize;
  private final int minFrequency;
  private final PreTokenizer preTokenizer;

  private BpeTrainer(Builder b) {
    this.vocabSize = b.vocabSize;
    this.minFrequency = b.minFrequency;
    this.preTokenizer = b.preTokenizer;
  }

  /** A builder with defaults: vocabulary 1024, minimum pair frequency 2, {@link PreTokenizer#GPT2}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The target vocabulary size, the 256 bytes and the 3 special tokens included. */
  public int vocabSize() {
    return vocabSize;
  }

  /** The least number of occurrences a pair needs to be merged. */
  public int minFrequency() {
    return minFrequency;
  }

  /** The pre-tokenizer used in training, and saved in the trained tokenizer. */
  public PreTokenizer preTokenizer() {
    return preTokenizer;
  }

  /**
   * Trains merges on {@code corpus}. The result has {@code vocabSize()} tokens, or fewer if the corpus runs out
   * of pairs occurring {@code minFrequency()} times.
   */
  public BpeTokenizer train(Iterable<String> corpus) {
    Objects.requireNonNull(corpus, "corpus");
    Map<String, long[]> chunkCounts = new HashMap<>();
    for (String text : corpus) {
      for (String chunk : preTokenizer.split(text)) {
        chunkCounts.computeIfAbsent(chunk, c -> new long[1])[0]++;
      }
    }
    return BpeTokenizer.of(new Run(chunkCounts).mergeUpTo(vocabSize - 259, minFrequency), preTokenizer);
  }

  @Override
  public String toString() {
    return "BpeTrainer(vocabSize=" + vocabSize + ", minFrequency=" + minFrequency + ", preTokenizer="
        + preTokenizer.jsonName() + ")";
  }

  /** The state of one training run: the distinct chunks as symbol sequences, and the pair statistics. */
  private static final class Run {

    /** Occurrences of a pair (weighted by chunk frequency) and the chunks it may occur in (with stale entries). */
    private static final class PairStat {
      long count;
      int[] words = new int[2];
      int size;

      void addWord(int w) {
        if (size > 0 && words[size - 1] == w) {
          return;
        }
        if (size == words.length) {
          words = Arrays.copyOf(words, size * 2);
        }
        words[size++] = w;
      }
    }

    private record Candidate(long count, int left, int right) {}

    private static final Comparator<Candidate> ORDER =
        Comparator.comparingLong(Candidate::count).reversed()
            .thenComparingInt(Candidate::left)
            .thenComparingInt(Candidate::right);

    private final int[][] symbols;
    private final int[] lengths;
    private final long[] frequencies;
    private final int[] visited;
    private final Map<Long, PairStat> pairs = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(ORDER);

    Run(Map<String, long[]> chunkCounts) {
      List<String> chunks = new ArrayList<>(chunkCounts.keySet());
      chunks.sort(Comparator.naturalOrder());
      int n = chunks.size();
      symbols = new int[n][];
      lengths = new int[n];
      frequencies = new long[n];
      visited = new int[n];
      Arrays.fill(visited, -1);
      for (int w = 0; w < n; w++) {
        byte[] bytes = chunks.get(w).getBytes(StandardCharsets.UTF_8);
        int[] s = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
          s[i] = bytes[i] & 0xFF;
        }
        symbols[w] = s;
        lengths[w] = s.length;
        frequencies[w] = chunkCounts.get(chunks.get(w))[0];
        for (int i = 0; i + 1 < s.length; i++) {
          PairStat stat = pairs.computeIfAbsent(PairRanks.key(s[i], s[i + 1]), k -> new PairStat());
          stat.count += frequencies[w];
          stat.addWord(w);
        }
      }
      pairs.forEach((key, stat) -> queue.add(new Candidate(stat.count, (int) (key >>> 32), (int) (long) key)));
    }

    List<BpeTokenizer.Merge> mergeUpTo(int maxMerges, int minFrequency) {
      List<BpeTokenizer.Merge> merges = new ArrayList<>();
      while (merges.size() < maxMerges && !queue.isEmpty()) {
        Candidate top = queue.poll();
        long key = PairRanks.key(top.left(), top.right());
        PairStat stat = pairs.get(key);
        long current = stat == null ? 0 : stat.count;
        if (current != top.count()) {
          if (current > 0) {
            queue.add(new Candidate(current, top.left(), top.right())); // stale entry: requeue the true count
          }
          continue;
        }
        if (current < minFrequency) {
          break;
        }
        int token = 256 + merges.size();
        merges.add(new BpeTokenizer.Merge(top.left(), top.right()));
        apply(stat, top.left(), top.right(), token, merges.size());
      }
      return merges;
    }

    /** Merges {@code (a, b)} into {@code token} in every chunk that holds it and updates the pair counts. */
    private void apply(PairStat merged, int a, int b, int token, int stamp) {
      Map<Long, PairStat> created = new HashMap<>();
      for (int k = 0; k < merged.size; k++) {
        int w = merged.words[k];
        if (visited[w] == stamp) {
          continue;
        }
        visited[w] = stamp;
        int[] s = symbols[w];
        int n = lengths[w];
        if (!contains(s, n, a, b)) {
          continue;
        }
        long f = frequencies[w];
        addPairs(s, n, -f, w, token, null);
        int m = 0;
        for (int i = 0; i < n; i++) {
          if (i + 1 < n && s[i] == a && s[i + 1] == b) {
            s[m++] = token;
            i++;
          } else {
            s[m++] = s[i];
          }
        }
        lengths[w] = m;
        addPairs(s, m, f, w, token, created);
      }
      pairs.remove(PairRanks.key(a, b)); // every occurrence is merged: its count is now 0
      created.forEach((key, stat) -> {
        if (stat.count > 0) {
          queue.add(new Candidate(stat.count, (int) (key >>> 32), (int) (long) key));
        }
      });
    }

    /**
     * Adds {@code delta} to the count of every adjacent pair of {@code s[0..n)}; records chunk {@code w} for the
     * pairs that hold the new {@code token} and collects those pairs in {@code created}.
     */
    private void addPairs(int[] s, int n, long delta, int w, int token, Map<Long, PairStat> created) {
      for (int i = 0; i + 1 < n; i++) {
        long key = PairRanks.key(s[i], s[i + 1]);
        if (s[i] == token || s[i + 1] == token) {
          PairStat stat = pairs.computeIfAbsent(key, x -> new PairStat());
          stat.count += delta;
          if (created != null) {
            stat.addWord(w);
            created.put(key, stat);
          }
        } else {
          pairs.get(key).count += delta;
        }
      }
    }

    private static boolean contains(int[] s, int n, int a, int b) {
      for (int i = 0; i + 1 < n; i++) {
        if (s[i] == a && s[i + 1] == b) {
          return true;
        }
      }
      return false;
    }
  }

  /** Builds a {@link BpeTrainer}. */
  public static final class Builder {
    private int vocabSize = 1024;
    private int minFrequency = 2;
    private PreTokenizer preTokenizer = PreTokenizer.GPT2;

    private Builder() {}

    /** Target vocabulary size, the 256 bytes and the 3 special tokens included; at least 259. Default 1024. */
    public Builder vocabSize(int vocabSize) {
      Args.check(vocabSize >= 259, "vocabSize must be >= 259 (256 bytes + BOS, EOS, PAD), got %s", vocabSize);
      this.vocabSize = vocabSize;
      return this;
    }

    /** The least number of occurrences a pair needs to be merged; at least 1. Default 2. */
    public Builder minFrequency(int minFrequency) {
      this.minFrequency = Args.positive("minFrequency", minFrequency);
      return this;
    }

    /** How text is cut into chunks before merging. Default {@link PreTokenizer#GPT2}. */
    public Builder preTokenizer(PreTokenizer preTokenizer) {
      this.preTokenizer = Objects.requireNonNull(preTokenizer, "preTokenizer");
      return this;
    }

    /** The trainer. */
    public BpeTrainer build() {
      return new BpeTrainer(this);
    }
  }
}
