package org.align4j.memorization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Replaces sensitive text by a short hash and its first few characters. */
final class Redaction {

  private Redaction() {}

  /**
   * {@code text} itself when {@code visibleChars < 0}; otherwise {@code "[sha256:<12 hex>] "} followed by the first
   * {@code visibleChars} code points and an ellipsis when more were cut.
   */
  static String redact(String text, int visibleChars) {
    if (visibleChars < 0) {
      return text;
    }
    String hash = HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)), 0, 6);
    int cps = text.codePointCount(0, text.length());
    String shown = text.substring(0, text.offsetByCodePoints(0, Math.min(visibleChars, cps)));
    return "[sha256:" + hash + "] " + shown + (cps > visibleChars ? "\u2026" : "");
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
