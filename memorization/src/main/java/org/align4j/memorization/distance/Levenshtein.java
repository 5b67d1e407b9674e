package org.align4j.memorization.distance;

import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * Levenshtein distance (unit-cost insertions, deletions and substitutions) by the bit-parallel algorithm of Myers
 * (1999) in the formulation of Hyyro (2003): the shorter sequence is the pattern, held as bit vectors of 64 rows;
 * one 64-bit word for patterns of at most 64 symbols, blocks of words beyond. Each column of the dynamic-programming
 * matrix then costs a handful of word operations per block instead of one operation per cell.
 *
 * <p>Symbols are arbitrary {@code int}s (token ids from any vocabulary size): the per-symbol match masks are built
 * with a small hash table over the pattern's distinct symbols, never with an array of alphabet size; symbols that
 * occur often (all of a small alphabet's) get a ready-made mask of every block, rarer ones have their few bits set
 * and cleared per column ({@code PatternMasks}). Strings are
 * compared by UTF-16 code units ({@link #distance(CharSequence, CharSequence)}) or by Unicode code points
 * ({@link #distanceCodePoints}).
 *
 * <p>The thresholded variants ({@code maxDistance}) compute only the diagonal band of half-width {@code
 * maxDistance} (Ukkonen's cut-off, by blocks) and stop as soon as every cell of the band exceeds the threshold;
 * they return the exact distance when it is at most {@code maxDistance} and {@code maxDistance + 1} otherwise.
 *
 * <p>All methods are static, allocate only per call, and are safe to call from several threads.
 */
public final class Levenshtein {

  private Levenshtein() {}

  /** The edit distance between two token sequences. */
  public static int distance(int[] a, int[] b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    return compute(a, b, Integer.MAX_VALUE);
  }

  /**
   * The edit distance between two token sequences when it is at most {@code maxDistance}, otherwise
   * {@code maxDistance + 1} (computed with early exit, usually much faster than the full distance).
   *
   * @throws IllegalArgumentException when {@code maxDistance < 0}
   */
  public static int distance(int[] a, int[] b, int maxDistance) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Args.nonNegative("maxDistance", maxDistance);
    return compute(a, b, maxDistance);
  }

  /** The edit distance between two strings, by UTF-16 code units (a surrogate pair counts as two symbols). */
  public static int distance(CharSequence a, CharSequence b) {
    return compute(codeUnits(a), codeUnits(b), Integer.MAX_VALUE);
  }

  /** The bounded edit distance between two strings by UTF-16 code units; see {@link #distance(int[], int[], int)}. */
  public static int distance(CharSequence a, CharSequence b, int maxDistance) {
    Args.nonNegative("maxDistance", maxDistance);
    return compute(codeUnits(a), codeUnits(b), maxDistance);
  }

  /** The edit distance between two strings by Unicode code points (a surrogate pair counts as one symbol). */
  public static int distanceCodePoints(CharSequence a, CharSequence b) {
    return compute(codePoints(a), codePoints(b), Integer.MAX_VALUE);
  }

  /** The UTF-16 code units of {@code s} as symbols. */
  static int[] codeUnits(CharSequence s) {
    Objects.requireNonNull(s, "string");
    int[] out = new int[s.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.charAt(i);
    }
    return out;
  }

  /** The Unicode code points of {@code s} as symbols. */
  static int[] codePoints(CharSequence s) {
    Objects.requireNonNull(s, "string");
    return s.codePoints().toArray();
  }

  private static int compute(int[] a, int[] b, int maxDistance) {
    // Strip the common prefix and suffix: they never change the distance.
    int aFrom = 0;
    int bFrom = 0;
    int aTo = a.length;
    int bTo = b.length;
    while (aFrom < aTo && bFrom < bTo && a[aFrom] == b[bFrom]) {
      aFrom++;
      bFrom++;
    }
    while (aTo > aFrom && bTo > bFrom && a[aTo - 1] == b[bTo - 1]) {
      aTo--;
      bTo--;
    }
    int n1 = aTo - aFrom;
    int n2 = bTo - bFrom;
    int diff = Math.abs(n1 - n2);
    if (diff > maxDistance) {
      return maxDistance + 1;
    }
    if (n1 == 0 || n2 == 0) {
      return Math.max(n1, n2);
    }
    // The shorter sequence is the pattern (fewer blocks).
    int[] pattern = n1 <= n2 ? a : b;
    int pFrom = n1 <= n2 ? aFrom : bFrom;
    int m = Math.min(n1, n2);
    int[] text = n1 <= n2 ? b : a;
    int tFrom = n1 <= n2 ? bFrom : aFrom;
    int n = Math.max(n1, n2);
    PatternMasks masks = new PatternMasks(pattern, pFrom, pFrom + m);
    if (maxDistance >= n) {
      return m <= 64 ? singleWord(masks, m, text, tFrom, n) : blocks(masks, m, text, tFrom, n);
    }
    return banded(masks, m, text, tFrom, n, maxDistance);
  }

  /** Myers/Hyyro for a pattern of 1 to 64 symbols: the last row of the matrix, tracked column by column. */
  private static int singleWord(PatternMasks masks, int m, int[] text, int from, int n) {
    long[] words = masks.dense;
    long pv = -1L;
    long mv = 0L;
    long high = 1L << (m - 1);
    int score = m;
    for (int j = 0; j < n; j++) {
      long eq = words[masks.code(text[from + j])];
      long xv = eq | mv;
      long xh = (((eq & pv) + pv) ^ pv) | eq;
      long ph = mv | ~(xh | pv);
      long mh = pv & xh;
      if ((ph & high) != 0) {
        score++;
      } else if ((mh & high) != 0) {
        score--;
      }
      ph = (ph << 1) | 1L;
      mh <<= 1;
      pv = mh | ~(xv | ph);
      mv = ph & xv;
    }
    return score;
  }

  /** The multi-word version: every block of 64 rows is advanced per column, the carry passed downwards. */
  private static int blocks(PatternMasks masks, int m, int[] text, int from, int n) {
    int nb = masks.blocks;
    long[] pv = new long[nb];
    long[] mv = new long[nb];
    long[] dense = masks.dense;
    long[] scratch = new long[nb];
    java.util.Arrays.fill(pv, -1L);
    long lastHigh = 1L << ((m - 1) & 63);
    int score = m;
    int held = 0;
    for (int j = 0; j < n; j++) {
      int code = masks.code(text[from + j]);
      long[] eqs = dense;
      if (code < 0) {
        held = hold(masks, scratch, held, code);
        eqs = scratch;
        code = 0;
      }
      int hin = 1;
      for (int b = 0; b < nb - 1; b++) {
        hin = advanceFull(pv, mv, eqs[code + b], b, hin);
      }
      score += advance(pv, mv, eqs[code + nb - 1], nb - 1, hin, lastHigh);
    }
    return score;
  }

  /**
   * Makes {@code scratch} the match vector of sparse symbol code {@code code}, given that it holds that of
   * {@code held} (0: none); returns the code it now holds.
   */
  private static int hold(PatternMasks masks, long[] scratch, int held, int code) {
    if (code != held) {
      if (held < 0) {
        masks.toggle(scratch, ~held, false);
      }
      masks.toggle(scratch, ~code, true);
    }
    return code;
  }

  /** {@link #advance} for a full block of 64 rows: the outgoing difference is read from the sign bits. */
  private static int advanceFull(long[] pv, long[] mv, long eq, int b, int hin) {
    long p = pv[b];
    long q = mv[b];
    long hinNeg = hin >>> 31;
    long hinPos = (-hin) >>> 31;
    long xv = eq | q;
    eq |= hinNeg;
    long xh = (((eq & p) + p) ^ p) | eq;
    long ph = q | ~(xh | p);
    long mh = p & xh;
    int hout = (int) (ph >>> 63) - (int) (mh >>> 63);
    ph = (ph << 1) | hinPos;
    mh = (mh << 1) | hinNeg;
    pv[b] = mh | ~(xv | ph);
    mv[b] = ph & xv;
    return hout;
  }

  /**
   * Advances block {@code b} by one column given the match vector {@code eq} and the horizontal difference
   * {@code hin} (-1, 0 or +1) entering at its top; returns the difference leaving at row {@code high}.
   */
  private static int advance(long[] pv, long[] mv, long eq, int b, int hin, long high) {
    long p = pv[b];
    long q = mv[b];
    long hinNeg = hin >>> 31;
    long hinPos = (-hin) >>> 31;
    long xv = eq | q;
    eq |= hinNeg;
    long xh = (((eq & p) + p) ^ p) | eq;
    long ph = q | ~(xh | p);
    long mh = p & xh;
    int hout = ((ph & high) != 0 ? 1 : 0) - ((mh & high) != 0 ? 1 : 0);
    ph = (ph << 1) | hinPos;
    mh = (mh << 1) | hinNeg;
    pv[b] = mh | ~(xv | ph);
    mv[b] = ph & xv;
    return hout;
  }

  /**
   * The band {@code |row - column| <= k} of the matrix, by blocks: blocks enter at the bottom as the band moves
   * down (initialised as upper bounds), leave at the top, and the scan stops when every cell of the band exceeds
   * {@code k}. Cells outside the band are over-estimated, which leaves every cell of value at most {@code k} exact
   * (an optimal path never decreases, so it stays inside the band).
   */
  private static int banded(PatternMasks masks, int m, int[] text, int from, int n, int k) {
    int nb = masks.blocks;
    long[] pv = new long[nb];
    long[] mv = new long[nb];
    long[] dense = masks.dense;
    long[] scratch = new long[nb];
    int[] score = new int[nb];
    int first = 0;
    int last = (Math.max(1, Math.min(m, k)) - 1) >>> 6;
    for (int b = 0; b <= last; b++) {
      pv[b] = -1L;
      score[b] = Math.min(m, (b + 1) << 6);
    }
    long lastHigh = 1L << ((m - 1) & 63);
    int held = 0;
    for (int j = 1; j <= n; j++) {
      int newLast = (Math.min(m, j + k) - 1) >>> 6;
      while (last < newLast) {
        last++;
        pv[last] = -1L;
        mv[last] = 0L;
        score[last] = score[last - 1] + height(last, m);
      }
      while (first < last && ((first + 1) << 6) < j - k) {
        first++;
      }
      int code = masks.code(text[from + j - 1]);
      long[] eqs = dense;
      if (code < 0) {
        held = hold(masks, scratch, held, code);
        eqs = scratch;
        code = 0;
      }
      int hin = 1;
      int lowest = Integer.MAX_VALUE;
      for (int b = first; b <= last; b++) {
        hin = advance(pv, mv, eqs[code + b], b, hin, b == nb - 1 ? lastHigh : Long.MIN_VALUE);
        score[b] += hin;
        // Adjacent cells of a column differ by at most one: a lower bound of the block's cells.
        lowest = Math.min(lowest, score[b] - height(b, m) + 1);
      }
      // Every path crosses column j; once row 0 (value j) is also above k, no path can stay within k.
      if (lowest > k && j > k) {
        return k + 1;
      }
    }
    int result = score[nb - 1];
    return result <= k ? result : k + 1;
  }

  private static int height(int block, int m) {
    return Math.min(64, m - (block << 6));
  }
}
