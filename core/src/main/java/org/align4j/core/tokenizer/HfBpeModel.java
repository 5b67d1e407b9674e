package org.align4j.core.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BPE model of a Hugging Face {@code tokenizer.json}: a vocabulary of token strings, ranked merges of two
 * token strings, optional byte fallback ({@code <0xAB>} tokens for characters outside the vocabulary), an unknown
 * token, and {@code ignore_merges} (a whole chunk found in the vocabulary is one token). A chunk starts as its
 * characters (code points) and the lowest-ranked adjacent pair is merged, leftmost first, until none applies.
 * Immutable; chunk encodings are cached.
 */
final class HfBpeModel {

  private static final int CACHE_LIMIT = 100_000;
  private static final int CACHE_CHUNK = 64;

  private final Map<String, Integer> vocab;
  private final Map<String, Integer> ranks;
  private final boolean byteFallback;
  private final boolean ignoreMerges;
  private final int unkId;
  private final boolean fuseUnk;
  private final int[] byteIds;
  private final Map<Integer, Integer> byteOf = new HashMap<>();
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  HfBpeModel(Map<String, Integer> vocab, List<String[]> merges, boolean byteFallback, boolean ignoreMerges,
      int unkId, boolean fuseUnk) {
    this.vocab = Map.copyOf(vocab);
    this.ranks = new HashMap<>();
    for (int i = 0; i < merges.size(); i++) {
      String[] m = merges.get(i);
      if (!vocab.containsKey(m[0]) || !vocab.containsKey(m[1]) || !vocab.containsKey(m[0] + m[1])) {
        throw new IllegalArgumentException("merge " + i + " (" + m[0] + " " + m[1] + ") joins or makes a token "
            + "outside the vocabulary");
      }
      ranks.putIfAbsent(key(m[0], m[1]), i);
    }
    this.byteFallback = byteFallback;
    this.ignoreMerges = ignoreMerges;
    this.unkId = unkId;
    this.fuseUnk = fuseUnk;
    this.byteIds = new int[256];
    for (int b = 0; b < 256; b++) {
      Integer id = vocab.get(String.format("<0x%02X>", b));
      if (byteFallback && id == null) {
        throw new IllegalArgumentException("byte_fallback is on but the vocabulary lacks <0x"
            + String.format("%02X", b) + ">");
      }
      byteIds[b] = id == null ? -1 : id;
      if (id != null && byteFallback) {
        byteOf.put(id, b);
      }
    }
  }

  private static String key(String a, String b) {
    return a + '\u0000' + b;
  }

  /** The id of token string {@code token}, or null. */
  Integer id(String token) {
    return vocab.get(token);
  }

  /** The byte a byte-fallback token id stands for, or -1. */
  int fallbackByte(int id) {
    return byteOf.getOrDefault(id, -1);
  }

  /** Appends the ids of chunk {@code chunk} to {@code out}. */
  void encode(String chunk, IntList out) {
    int[] cached = chunk.length() <= CACHE_CHUNK ? cache.get(chunk) : null;
    if (cached == null) {
      cached = encodeUncached(chunk);
      if (chunk.length() <= CACHE_CHUNK) {
        if (cache.size() > CACHE_LIMIT) {
          cache.clear();
        }
        cache.put(chunk, cached);
      }
    }
    out.addAll(cached);
  }

  private int[] encodeUncached(String chunk) {
    if (ignoreMerges && vocab.containsKey(chunk)) {
      return new int[] {vocab.get(chunk)};
    }
    int n = chunk.codePointCount(0, chunk.length());
    String[] sym = new String[n];
    for (int i = 0, at = 0; i < n; i++) {
      int next = chunk.offsetByCodePoints(at, 1);
      sym[i] = chunk.substring(at, next);
      at = next;
    }
    int[] prev = new int[n];
    int[] next = new int[n];
    int[] version = new int[n];
    for (int i = 0; i < n; i++) {
      prev[i] = i - 1;
      next[i] = i + 1 < n ? i + 1 : -1;
    }
    // entries: {rank, left, right, leftVersion, rightVersion}
    PriorityQueue<int[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0])
        : Integer.compare(a[1], b[1]));
    for (int i = 0; i + 1 < n; i++) {
      offer(queue, sym, version, i, i + 1);
    }
    while (!queue.isEmpty()) {
      int[] e = queue.poll();
      int left = e[1];
      int right = e[2];
      if (sym[left] == null || sym[right] == null || next[left] != right || version[left] != e[3]
          || version[right] != e[4]) {
        continue;
      }
      sym[left] = sym[left] + sym[right];
      version[left]++;
      sym[right] = null;
      next[left] = next[right];
      if (next[right] >= 0) {
        prev[next[right]] = left;
      }
      if (prev[left] >= 0) {
        offer(queue, sym, version, prev[left], left);
      }
      if (next[left] >= 0) {
        offer(queue, sym, version, left, next[left]);
      }
    }
    IntList ids = new IntList();
    boolean lastUnk = false;
    for (int i = 0; i >= 0 && i < n; i = next[i]) {
      Integer id = vocab.get(sym[i]);
      if (id != null) {
        ids.add(id);
        lastUnk = false;
      } else if (byteFallback) {
        for (byte b : sym[i].getBytes(StandardCharsets.UTF_8)) {
          ids.add(byteIds[b & 0xff]);
        }
        lastUnk = false;
      } else if (unkId >= 0) {
        if (!(fuseUnk && lastUnk)) {
          ids.add(unkId);
        }
        lastUnk = true;
      } else {
        throw new IllegalArgumentException("cannot encode \"" + sym[i] + "\": not in the vocabulary, and the "
            + "tokenizer has neither byte fallback nor an unknown token");
      }
    }
    return ids.toArray();
  }

  private void offer(PriorityQueue<int[]> queue, String[] sym, int[] version, int left, int right) {
    Integer rank = ranks.get(key(sym[left], sym[right]));
    if (rank != null) {
      queue.add(new int[] {rank, left, right, version[left], version[right]});
    }
  }

  /** A growable list of ints. */
  static final class IntList {
    private int[] data = new int[16];
    private int size;

    void add(int v) {
      if (size == data.length) {
        data = java.util.Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }

    void addAll(int[] vs) {
      for (int v : vs) {
        add(v);
      }
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }

  /** UTF-8 bytes of the given text appended to {@code out}. */
  static void appendUtf8(ByteArrayOutputStream out, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }
}
