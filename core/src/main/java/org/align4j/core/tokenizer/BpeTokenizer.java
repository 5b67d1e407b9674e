package org.align4j.core.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Byte-level byte-pair encoding. The base vocabulary is the 256 byte values (ids {@code 0..255}); merge {@code k}
 * (its rank) joins two earlier tokens into token {@code 256 + k}; the special tokens follow the merges: BOS is
 * {@code 256 + merges().size()}, then EOS, then PAD.
 *
 * <p>Encoding cuts the text into chunks with the {@link PreTokenizer} it was trained with, turns each chunk into
 * its UTF-8 bytes and repeatedly applies the lowest-ranked merge present (leftmost first). Since every byte is a
 * token, any text encodes, and {@code decode(encode(s))} equals {@code s} for every valid UTF-16 string (one
 * without unpaired surrogates; those are encoded as {@code '?'} as Java's UTF-8 encoder does). {@link #decode}
 * skips special tokens and replaces invalid UTF-8 with U+FFFD, never failing on it.
 *
 * <p>Train one with {@link BpeTrainer}; save and load one with {@link Tokenizers}. Immutable and thread-safe.
 */
public final class BpeTokenizer implements Tokenizer {

  static final String TYPE = "bpe";

  /**
   * One merge: tokens {@code left} and {@code right}, adjacent in that order, become one token.
   *
   * @param left id of the left token
   * @param right id of the right token
   */
  public record Merge(int left, int right) {}

  private final List<Merge> merges;
  private final PreTokenizer preTokenizer;
  private final PairRanks ranks;
  private final byte[][] tokenBytes;

  private BpeTokenizer(List<Merge> merges, PreTokenizer preTokenizer) {
    this.merges = List.copyOf(merges);
    this.preTokenizer = Objects.requireNonNull(preTokenizer, "preTokenizer");
    this.ranks = new PairRanks(this.merges.size());
    this.tokenBytes = new byte[256 + this.merges.size()][];
    for (int b = 0; b < 256; b++) {
      tokenBytes[b] = new byte[] {(byte) b};
    }
    for (int k = 0; k < this.merges.size(); k++) {
      Merge m = this.merges.get(k);
      int limit = 256 + k;
      if (m.left() < 0 || m.left() >= limit || m.right() < 0 || m.right() >= limit) {
        throw new IllegalArgumentException(
            "merge " + k + " must join ids in [0, " + limit + "), got (" + m.left() + ", " + m.right() + ")");
      }
      if (!ranks.putIfAbsent(m.left(), m.right(), k)) {
        throw new IllegalArgumentException(
            "merge " + k + " repeats the pair (" + m.left() + ", " + m.right() + ")");
      }
      byte[] l = tokenBytes[m.left()];
      byte[] r = tokenBytes[m.right()];
      byte[] joined = Arrays.copyOf(l, l.length + r.length);
      System.arraycopy(r, 0, joined, l.length, r.length);
      tokenBytes[256 + k] = joined;
    }
  }

  /**
   * A tokenizer with the given merges, in rank order.
   *
   * @throws IllegalArgumentException if a merge refers to a token not defined before it, or repeats a pair
   */
  public static BpeTokenizer of(List<Merge> merges, PreTokenizer preTokenizer) {
    return new BpeTokenizer(merges, preTokenizer);
  }

  /** The merges in rank order; merge {@code k} produces token {@code 256 + k}. */
  public List<Merge> merges() {
    return merges;
  }

  /** The pre-tokenizer that cuts text into chunks before merging. */
  public PreTokenizer preTokenizer() {
    return preTokenizer;
  }

  /**
   * The bytes that a non-special token stands for (a copy).
   *
   * @throws IllegalArgumentException if {@code id} is special or out of range
   */
  public byte[] tokenBytes(int id) {
    TokenIds.checkId(id, tokenBytes.length);
    return tokenBytes[id].clone();
  }

  @Override
  public int vocabSize() {
    return tokenBytes.length + 3;
  }

  @Override
  public int bosId() {
    return tokenBytes.length;
  }

  @Override
  public int eosId() {
    return tokenBytes.length + 1;
  }

  @Override
  public int padId() {
    return tokenBytes.length + 2;
  }

  @Override
  public int[] encode(String text) {
    IntBuffer out = new IntBuffer(text.length() + 8);
    for (String chunk : preTokenizer.split(text)) {
      encodeChunk(chunk.getBytes(StandardCharsets.UTF_8), out);
    }
    return out.toArray();
  }

  /**
   * Applies the merges to one chunk: a linked list of symbols and a queue of mergeable adjacent pairs ordered by
   * (rank, position). A token made by merge {@code r} can only take part in merges of higher rank, so taking the
   * queue in order gives the same result as repeatedly merging the lowest-ranked pair everywhere, left to right.
   */
  private void encodeChunk(byte[] bytes, IntBuffer out) {
    int n = bytes.length;
    int[] ids = new int[n];
    int[] next = new int[n];
    int[] prev = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = bytes[i] & 0xFF;
      next[i] = i + 1;
      prev[i] = i - 1;
    }
    PriorityQueue<Long> queue = new PriorityQueue<>();
    for (int i = 0; i + 1 < n; i++) {
      offer(queue, ids[i], ids[i + 1], i);
    }
    while (!queue.isEmpty()) {
      long entry = queue.poll();
      int rank = (int) (entry >>> 32);
      int i = (int) entry;
      int j = next[i];
      if (ids[i] < 0 || j >= n || ranks.rank(ids[i], ids[j]) != rank) {
        continue; // stale: a symbol of this pair was merged since the entry was queued
      }
      ids[i] = 256 + rank;
      ids[j] = -1;
      next[i] = next[j];
      if (next[i] < n) {
        prev[next[i]] = i;
        offer(queue, ids[i], ids[next[i]], i);
      }
      if (prev[i] >= 0) {
        offer(queue, ids[prev[i]], ids[i], prev[i]);
      }
    }
    for (int i = 0; i < n; i = next[i]) {
      out.add(ids[i]);
    }
  }

  private void offer(PriorityQueue<Long> queue, int left, int right, int position) {
    int rank = ranks.rank(left, right);
    if (rank >= 0) {
      queue.add(((long) rank << 32) | position);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if an id is outside {@code 0 .. vocabSize() - 1}
   */
  @Override
  public String decode(int[] ids) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 3);
    for (int id : ids) {
      TokenIds.checkId(id, vocabSize());
      if (id < tokenBytes.length) {
        bytes.writeBytes(tokenBytes[id]);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public String toJson() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("type", TYPE);
    root.put("version", Tokenizers.FORMAT_VERSION);
    root.put("preTokenizer", preTokenizer.jsonName());
    root.put("vocabSize", vocabSize());
    ArrayNode array = root.putArray("merges");
    for (Merge m : merges) {
      array.addArray().add(m.left()).add(m.right());
    }
    return root.toString();
  }

  /** Equal when the merges and the pre-tokenizer are equal (then they encode every text alike). */
  @Override
  public boolean equals(Object o) {
    return o instanceof BpeTokenizer other
        && merges.equals(other.merges)
        && preTokenizer == other.preTokenizer;
  }

  @Override
  public int hashCode() {
    return Objects.hash(merges, preTokenizer);
  }

  @Override
  public String toString() {
    return "BpeTokenizer(vocabSize=" + vocabSize() + ", preTokenizer=" + preTokenizer.jsonName() + ")";
  }

  /** A growable int array. */
  private static final class IntBuffer {
    private int[] data;
    private int size;

    IntBuffer(int capacity) {
      data = new int[Math.max(capacity, 4)];
    }

    void add(int value) {
      if (size == data.length) {
        data = Arrays.copyOf(data, data.length * 2);
      }
      data[size++] = value;
    }

    int[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
