package org.align4j.memorization.distance;

import java.util.Arrays;

/**
 * The per-symbol match masks of a pattern, for the bit-parallel algorithm: for each distinct symbol of the
 * pattern, {@code blocks} 64-bit words whose bit {@code i % 64} of word {@code i / 64} is set where the pattern
 * holds that symbol. Distinct symbols are found with a small open-addressing hash table, so the cost depends on
 * the pattern's length, never on the alphabet's size.
 */
final class PatternMasks {

  private final int[] keys;
  private final int[] slots;
  private final int mask;
  /** Masks of symbol number {@code s}: {@code words[s * blocks .. s * blocks + blocks - 1]}. */
  final long[] words;
  final int blocks;

  /** Masks of {@code pattern[from .. to - 1]}. */
  PatternMasks(int[] pattern, int from, int to) {
    int m = to - from;
    blocks = Math.max(1, (m + 63) >>> 6);
    int capacity = Integer.highestOneBit(Math.max(4, m * 2 - 1)) << 1;
    keys = new int[capacity];
    slots = new int[capacity];
    Arrays.fill(slots, -1);
    mask = capacity - 1;
    long[] w = new long[Math.max(1, m) * blocks];
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
      w[slots[h] * blocks + (i >>> 6)] |= 1L << (i & 63);
    }
    words = w;
  }

  /** The offset in {@link #words} of the masks of {@code symbol}, or -1 when the pattern does not hold it. */
  int offsetOf(int symbol) {
    int h = hash(symbol) & mask;
    while (true) {
      int slot = slots[h];
      if (slot < 0) {
        return -1;
      }
      if (keys[h] == symbol) {
        return slot * blocks;
      }
      h = (h + 1) & mask;
    }
  }

  private static int hash(int x) {
    int h = x * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
