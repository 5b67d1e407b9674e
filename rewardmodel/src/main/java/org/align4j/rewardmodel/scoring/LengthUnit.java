package org.align4j.rewardmodel.scoring;

import java.util.Locale;
import java.util.Objects;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.rewardmodel.calibration.ResponseFeature;

/** What a length counts: tokens of a tokenizer, or characters (Unicode code points, as Python's {@code len}). */
public enum LengthUnit {
  /** Tokens of the reward model's tokenizer (no BOS or EOS). */
  TOKENS("tokens"),
  /** Unicode code points. */
  CHARS("chars");

  private final String id;

  LengthUnit(String id) {
    this.id = id;
  }

  /** The name written in reward files and calibrations: {@code tokens} or {@code chars}. */
  public String id() {
    return id;
  }

  /**
   * The unit named {@code id} (case-insensitive).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static LengthUnit fromId(String id) {
    Objects.requireNonNull(id, "id");
    for (LengthUnit u : values()) {
      if (u.id.equals(id.toLowerCase(Locale.ROOT))) {
        return u;
      }
    }
    throw new IllegalArgumentException("length unit must be tokens or chars, got " + id);
  }

  /** The length of {@code text} in this unit ({@code tokenizer} is used only for {@link #TOKENS}). */
  public int measure(Tokenizer tokenizer, String text) {
    return this == CHARS ? text.codePointCount(0, text.length()) : tokenizer.encode(text).length;
  }

  /** The response's length in this unit, as a calibration feature named {@code name}. */
  public ResponseFeature responseFeature(String name, Tokenizer tokenizer) {
    return ResponseFeature.of(name, (prompt, response) -> measure(tokenizer, response));
  }

  /** The prompt's plus the response's length in this unit, as a penalty feature named {@code name}. */
  public ResponseFeature textFeature(String name, Tokenizer tokenizer) {
    return ResponseFeature.of(name, (prompt, response) -> measure(tokenizer, prompt) + measure(tokenizer, response));
  }
}
