package org.align4j.core.tokenizer;

import java.util.Arrays;

/**
 * An open-addressing map from a pair of token ids to the rank of its merge, without boxing: encoding looks pairs
 * up in its inner loop.
 */
final class PairRanks {

  private static final long EMPTY = -1L;

  private final long[] keys;
  private final int[] ranks;
  private final int mask;

  /** A map of capacity for {@code size} pairs. */
  PairRanks(int size) {
    int capacity = Integer.highestOneBit(Math.max(4, size * 2 - 1)) << 1;
    keys = new long[capacity];
    ranks = new int[capacity];
    mask = capacity - 1;
    Arrays.fill(keys, EMPTY);
  }

  /** The key of the pair {@code (left, right)} of non-negative ids. */
  static long key(int left, int right) {
    return ((long) left << 32) | right;
  }

  /** Stores {@code rank} for the pair; returns false (and stores nothing) if the pair is already present. */
  boolean putIfAbsent(int left, int right, int rank) {
    long key = key(left, right);
    int slot = slot(key);
    while (keys[slot] != EMPTY) {
      if (keys[slot] == key) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    ranks[slot] = rank;
    return true;
  }

  /** The rank of the merge of {@code (left, right)}, or -1 if there is none. */
  int rank(int left, int right) {
    long key = key(left, right);
    int slot = slot(key);
    while (keys[slot] != EMPTY) {
      if (keys[slot] == key) {
        return ranks[slot];
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29)) & mask;
  }
}
