package org.align4j.memorization.distance;

import java.util.Arrays;

/**
 * The per-symbol match masks of a pattern, for the bit-parallel algorithm. Distinct symbols are numbered with a
 * small open-addressing hash table, so the cost depends on the pattern's length, never on the alphabet's size.
 *
 * <p>A symbol that occurs often (at least once per four 64-row blocks, so every symbol of a pattern of at most 64
 * symbols and every symbol of a small alphabet) gets a ready-made dense row of {@link #blocks} words in
 * {@link #dense}: a column's match vector is then read, never built. A rarer symbol keeps only the list of its
 * positions ({@link #start}, {@link #positions}, compressed rows), and the caller sets and clears its few bits in
 * a scratch vector. At most {@code 4 * m} words of dense rows exist for a pattern of {@code m} symbols (the dense
 * symbols occur at least {@code blocks / 4} times each), so memory stays O(m) for any alphabet, where a dense row
 * for every symbol would take O(m * m / 64).
 *
 * <p>{@link #code} maps a text symbol to the offset of its dense row ({@code >= 0}; symbols absent from the
 * pattern share the all-zero row at offset 0), or to {@code ~s} ({@code < 0}) for sparse symbol {@code s}.
 */
final class PatternMasks {

  /** The code of an empty hash slot; sparse codes {@code ~s} are at least {@code -m - 1}. */
  private static final int EMPTY = Integer.MIN_VALUE;

  private final int[] keys;
  private final int[] codes;
  private final int mask;
  /** Number of 64-row blocks. */
  final int blocks;
  /** Dense rows of {@link #blocks} words each; the first is the all-zero row of symbols absent from the pattern. */
  final long[] dense;
  /** The positions of sparse symbol {@code s} are {@code positions[start[s] .. start[s+1])}. */
  private final int[] start;
  /** Positions grouped by sparse symbol, increasing within a group. */
  private final int[] positions;

  /** Masks of {@code pattern[from .. to - 1]}. */
  PatternMasks(int[] pattern, int from, int to) {
    int m = to - from;
    blocks = Math.max(1, (m + 63) >>> 6);
    int capacity = Integer.highestOneBit(Math.max(4, m * 2 - 1)) << 1;
    keys = new int[capacity];
    int[] slots = new int[capacity];
    Arrays.fill(slots, -1);
    mask = capacity - 1;
    int[] symbolOf = new int[m];
    int[] count = new int[m];
    int distinct = 0;
    for (int i = 0; i < m; i++) {
      int symbol = pattern[from + i];
      int h = hash(symbol) & mask;
      while (slots[h] >= 0 && keys[h] != symbol) {
        h = (h + 1) & mask;
      }
      if (slots[h] < 0) {
        keys[h] = symbol;
        slots[h] = distinct++;
      }
      symbolOf[i] = slots[h];
      count[slots[h]]++;
    }
    // Number the distinct symbols again: dense ones by row, sparse ones by group.
    int[] codeOf = new int[distinct];
    int denseRows = 1;
    int sparse = 0;
    for (int s = 0; s < distinct; s++) {
      codeOf[s] = 4 * count[s] >= blocks ? blocks * denseRows++ : ~sparse++;
    }
    codes = new int[capacity];
    for (int h = 0; h < capacity; h++) {
      codes[h] = slots[h] < 0 ? EMPTY : codeOf[slots[h]];
    }
    dense = new long[denseRows * blocks];
    start = new int[sparse + 1];
    for (int i = 0; i < m; i++) {
      int code = codeOf[symbolOf[i]];
      if (code >= 0) {
        dense[code + (i >>> 6)] |= 1L << i;
      } else {
        start[~code + 1]++;
      }
    }
    for (int s = 0; s < sparse; s++) {
      start[s + 1] += start[s];
    }
    int[] fill = Arrays.copyOf(start, sparse);
    positions = new int[start[sparse]];
    for (int i = 0; i < m; i++) {
      int code = codeOf[symbolOf[i]];
      if (code < 0) {
        positions[fill[~code]++] = i;
      }
    }
  }

  /**
   * The offset in {@link #dense} of {@code symbol}'s row ({@code 0}, the zero row, when the pattern lacks it), or
   * {@code ~s} for sparse symbol {@code s}.
   */
  int code(int symbol) {
    int h = hash(symbol) & mask;
    while (true) {
      int code = codes[h];
      if (code == EMPTY) {
        return 0;
      }
      if (keys[h] == symbol) {
        return code;
      }
      h = (h + 1) & mask;
    }
  }

  /** Sets (or clears, with {@code on == false}) the bits of sparse symbol {@code s} in the block vector. */
  void toggle(long[] eq, int s, boolean on) {
    for (int p = start[s], end = start[s + 1]; p < end; p++) {
      int i = positions[p];
      if (on) {
        eq[i >>> 6] |= 1L << i;
      } else {
        eq[i >>> 6] &= ~(1L << i);
      }
    }
  }

  private static int hash(int x) {
    int h = x * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
