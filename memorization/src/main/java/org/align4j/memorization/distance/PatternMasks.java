package org.align4j.memorization.distance;

import java.util.Arrays;

/**
 * The per-symbol match masks of a pattern, for the bit-parallel algorithm. Distinct symbols are numbered with a
 * small open-addressing hash table, so the cost depends on the pattern's length, never on the alphabet's size.
 *
 * <p>A pattern of at most 64 symbols keeps one dense 64-bit mask per distinct symbol ({@link #single}). A longer
 * one keeps, per distinct symbol, the list of its positions ({@link #start}, {@link #positions}, compressed rows):
 * O(m) memory instead of O(m * m / 64), and the caller sets and clears the few bits of a column's match vector.
 */
final class PatternMasks {

  private final int[] keys;
  private final int[] slots;
  private final int mask;
  /** Number of 64-row blocks. */
  final int blocks;
  /** For patterns of at most 64 symbols: the mask of distinct symbol {@code s} at {@code single[s]}. */
  final long[] single;
  /** For longer patterns: the positions of distinct symbol {@code s} are {@code positions[start[s] .. start[s+1])}. */
  final int[] start;
  /** Positions grouped by distinct symbol, increasing within a group. */
  final int[] positions;

  /** Masks of {@code pattern[from .. to - 1]}. */
  PatternMasks(int[] pattern, int from, int to) {
    int m = to - from;
    blocks = Math.max(1, (m + 63) >>> 6);
    int capacity = Integer.highestOneBit(Math.max(4, m * 2 - 1)) << 1;
    keys = new int[capacity];
    slots = new int[capacity];
    Arrays.fill(slots, -1);
    mask = capacity - 1;
    int[] symbolOf = new int[m];
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
    }
    if (blocks == 1) {
      single = new long[distinct];
      for (int i = 0; i < m; i++) {
        single[symbolOf[i]] |= 1L << i;
      }
      start = null;
      positions = null;
    } else {
      single = null;
      start = new int[distinct + 1];
      for (int i = 0; i < m; i++) {
        start[symbolOf[i] + 1]++;
      }
      for (int s = 0; s < distinct; s++) {
        start[s + 1] += start[s];
      }
      int[] fill = Arrays.copyOf(start, distinct);
      positions = new int[m];
      for (int i = 0; i < m; i++) {
        positions[fill[symbolOf[i]]++] = i;
      }
    }
  }

  /** The number of {@code symbol} among the pattern's distinct symbols, or -1 when the pattern lacks it. */
  int indexOf(int symbol) {
    int h = hash(symbol) & mask;
    while (true) {
      int slot = slots[h];
      if (slot < 0) {
        return -1;
      }
      if (keys[h] == symbol) {
        return slot;
      }
      h = (h + 1) & mask;
    }
  }

  /** Sets (or clears, with {@code on == false}) the bits of distinct symbol {@code s} in the block vector. */
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
