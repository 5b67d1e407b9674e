package org.align4j.memorization.report;

import java.util.Locale;

/** HTML text helpers. */
final class Html {

  private Html() {}

  /** Escapes {@code & < > " '} so that any text is safe inside elements and quoted attributes. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A number with {@code digits} decimals, in the root locale. */
  static String num(double value, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "f", value);
  }

  /** A percentage with one decimal. */
  static String pct(double fraction) {
    return num(100 * fraction, 1) + "%";
  }
}
