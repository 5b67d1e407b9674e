package org.align4j.core.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random texts for tokenizer tests. */
final class RandomText {

  private static final String[] WORDS = {
    "the", "model", "token", "data", "return", "value", "def", "class", "public", "static", "int", "String",
    "parse", "config", "user", "error", "self", "import", "for", "while", "if", "else", "None", "null", "=", "==",
    "(", ")", "{", "}", ":", ";", ",", ".", "\n", "    ", "0", "1", "42", "3.14", "it's", "we'll", "über", "naïve",
    "日本語", "テキスト", "😀", "🚀", "\t"
  };

  private RandomText() {}

  /** A random string of {@code length} code points drawn across the Unicode planes (no lone surrogates). */
  static String codePoints(Random random, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.appendCodePoint(codePoint(random));
    }
    return sb.toString();
  }

  private static int codePoint(Random random) {
    while (true) {
      int cp = switch (random.nextInt(7)) {
        case 0 -> random.nextInt(0x80); // ASCII, control characters included
        case 1 -> 0x80 + random.nextInt(0x780); // Latin, Greek, Cyrillic, ...
        case 2 -> 0x300 + random.nextInt(0x70); // combining marks
        case 3 -> 0x4E00 + random.nextInt(0x5200); // CJK
        case 4 -> random.nextInt(0x10000); // anywhere in the BMP
        case 5 -> 0x1F300 + random.nextInt(0x300); // emoji (surrogate pairs in UTF-16)
        default -> 0x10000 + random.nextInt(0x100000); // any supplementary plane
      };
      if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
        return cp;
      }
    }
  }

  /** A corpus of {@code count} lines of words, code-like and multilingual. */
  static List<String> corpus(long seed, int count) {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 5 + random.nextInt(30);
      for (int j = 0; j < n; j++) {
        // a Zipf-like choice: early words far more frequent
        int k = (int) Math.floor(Math.pow(random.nextDouble(), 2.5) * WORDS.length);
        sb.append(WORDS[k]);
        sb.append(random.nextInt(4) == 0 ? "" : " ");
      }
      lines.add(sb.toString());
    }
    return lines;
  }
}
