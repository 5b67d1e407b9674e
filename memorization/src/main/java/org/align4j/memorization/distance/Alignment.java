package org.align4j.memorization.distance;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An optimal Levenshtein alignment of two sequences as a list of runs (equal, deleted from the first, inserted
 * from the second), for showing differences. Built by the plain dynamic program with a trace-back, so meant for
 * short texts (a few thousand symbols): longer inputs are aligned after trimming their common prefix and suffix,
 * and when the rest is still too large it is reported as one replacement.
 */
public final class Alignment {

  /** The kind of a run. */
  public enum Op {
    /** Present in both. */
    EQUAL,
    /** Present only in the first sequence (the target). */
    DELETE,
    /** Present only in the second sequence (the generated text). */
    INSERT
  }

  /**
   * A run of consecutive symbols with the same operation.
   *
   * @param op what happened to the run
   * @param text the run's characters
   */
  public record Run(Op op, String text) {
    /** Validates. */
    public Run {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(text, "text");
    }
  }

  /** Largest matrix (cells) aligned exactly. */
  static final long MAX_CELLS = 4_000_000L;

  private Alignment() {}

  /** Aligns two strings by Unicode code points; the runs of each side concatenate to that side's text. */
  public static List<Run> align(String first, String second) {
    int[] a = Levenshtein.codePoints(first);
    int[] b = Levenshtein.codePoints(second);
    int pre = 0;
    while (pre < a.length && pre < b.length && a[pre] == b[pre]) {
      pre++;
    }
    int suf = 0;
    while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] == b[b.length - 1 - suf]) {
      suf++;
    }
    int n = a.length - pre - suf;
    int m = b.length - pre - suf;
    List<Run> runs = new ArrayList<>();
    append(runs, Op.EQUAL, a, 0, pre);
    if ((long) (n + 1) * (m + 1) > MAX_CELLS) {
      append(runs, Op.DELETE, a, pre, pre + n);
      append(runs, Op.INSERT, b, pre, pre + m);
    } else {
      middle(runs, a, pre, n, b, pre, m);
    }
    append(runs, Op.EQUAL, a, a.length - suf, a.length);
    return List.copyOf(runs);
  }

  private static void middle(List<Run> runs, int[] a, int aFrom, int n, int[] b, int bFrom, int m) {
    int[][] d = new int[n + 1][m + 1];
    for (int i = 0; i <= n; i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= m; j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int sub = d[i - 1][j - 1] + (a[aFrom + i - 1] == b[bFrom + j - 1] ? 0 : 1);
        d[i][j] = Math.min(sub, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
      }
    }
    // Trace back from the end, collecting operations in reverse.
    List<int[]> ops = new ArrayList<>();
    int i = n;
    int j = m;
    while (i > 0 || j > 0) {
      if (i > 0 && j > 0 && a[aFrom + i - 1] == b[bFrom + j - 1] && d[i][j] == d[i - 1][j - 1]) {
        ops.add(new int[] {0, aFrom + i - 1});
        i--;
        j--;
      } else if (i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + 1) {
        ops.add(new int[] {2, bFrom + j - 1});
        ops.add(new int[] {1, aFrom + i - 1});
        i--;
        j--;
      } else if (i > 0 && d[i][j] == d[i - 1][j] + 1) {
        ops.add(new int[] {1, aFrom + i - 1});
        i--;
      } else {
        ops.add(new int[] {2, bFrom + j - 1});
        j--;
      }
    }
    Op current = null;
    StringBuilder text = new StringBuilder();
    for (int k = ops.size() - 1; k >= 0; k--) {
      int[] op = ops.get(k);
      Op kind = op[0] == 0 ? Op.EQUAL : op[0] == 1 ? Op.DELETE : Op.INSERT;
      int symbol = op[0] == 2 ? b[op[1]] : a[op[1]];
      if (kind != current && current != null) {
        addRun(runs, current, text.toString());
        text.setLength(0);
      }
      current = kind;
      text.appendCodePoint(symbol);
    }
    if (current != null) {
      addRun(runs, current, text.toString());
    }
  }

  private static void append(List<Run> runs, Op op, int[] symbols, int from, int to) {
    if (from < to) {
      addRun(runs, op, new String(symbols, from, to - from));
    }
  }

  private static void addRun(List<Run> runs, Op op, String text) {
    if (!runs.isEmpty() && runs.get(runs.size() - 1).op() == op) {
      Run last = runs.remove(runs.size() - 1);
      runs.add(new Run(op, last.text() + text));
    } else {
      runs.add(new Run(op, text));
    }
  }
}
