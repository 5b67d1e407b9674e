package org.align4j.core.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How text is cut into chunks before byte-pair merges; merges never cross a chunk boundary, so a BPE tokenizer
 * must encode with the pre-tokenizer it was trained with (it is saved in the tokenizer's JSON).
 */
public enum PreTokenizer {

  /**
   * A GPT-2-like split: English contractions ({@code 's}, {@code 't}, {@code 're}, ...), runs of letters, runs of
   * digits and runs of other symbols (each with at most one leading space), and runs of whitespace. The chunks
   * cover the text exactly, so concatenating them gives the text back.
   */
  GPT2("gpt2"),

  /**
   * No split: the whole text is one chunk. Merges may then span words; training is slower on long texts since
   * every text is its own chunk.
   */
  NONE("none");

  private static final Pattern GPT2_PATTERN =
      Pattern.compile("'(?:s|t|re|ve|m|ll|d)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

  private final String jsonName;

  PreTokenizer(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name used in the tokenizer's JSON. */
  public String jsonName() {
    return jsonName;
  }

  /** The pre-tokenizer with JSON name {@code name}. */
  public static PreTokenizer fromJsonName(String name) {
    for (PreTokenizer p : values()) {
      if (p.jsonName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown pre-tokenizer \"" + name + "\" (known: gpt2, none)");
  }

  /** Cuts {@code text} into chunks whose concatenation is {@code text}; no chunk is empty. */
  public List<String> split(String text) {
    List<String> chunks = new ArrayList<>();
    if (text.isEmpty()) {
      return chunks;
    }
    if (this == NONE) {
      chunks.add(text);
      return chunks;
    }
    Matcher m = GPT2_PATTERN.matcher(text);
    while (m.find()) {
      chunks.add(m.group());
    }
    return chunks;
  }
}
