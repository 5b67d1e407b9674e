package org.align4j.core.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The one fingerprint align4j records for a data set (in every training stage's provenance and in audit reports):
 * 64 lower-case hex digits of a SHA-256 over a version tag, the kind of record ({@code "text"}, {@code "pair"},
 * {@code "prompt"}, ...) and then, for each example in order, its number of fields and each field as its UTF-8
 * length (8 bytes, big-endian) followed by its UTF-8 bytes. So different kinds of records, different splits of
 * the same characters into fields or examples, and different orders never share an input. Metadata, categories and
 * margins are not included: two data sets with the same fingerprint train on the same text.
 */
public final class DataFingerprint {

  private static final String VERSION = "align4j-data-fingerprint/1";

  private DataFingerprint() {}

  /** A text corpus: each example's id and text. */
  public static String ofTexts(Dataset<TextExample> data) {
    return of(data, "text", e -> List.of(e.id(), e.text()));
  }

  /** Preference pairs: each pair's id, prompt, chosen and rejected response. */
  public static String ofPairs(Dataset<PreferencePair> data) {
    return of(data, "pair", p -> List.of(p.id(), p.prompt(), p.chosen(), p.rejected()));
  }

  /** A list of prompts: each prompt's text. */
  public static String ofPrompts(List<String> prompts) {
    Accumulator acc = new Accumulator("prompt");
    prompts.forEach(acc::add);
    return acc.hex();
  }

  /**
   * Any data set whose examples are records of kind {@code kind}, each given by its {@code fields} in a fixed
   * order. Streams the data set once.
   */
  public static <T> String of(Dataset<T> data, String kind, Function<? super T, List<String>> fields) {
    Objects.requireNonNull(fields, "fields");
    Accumulator acc = new Accumulator(kind);
    try (Stream<T> stream = data.stream()) {
      stream.forEachOrdered(e -> acc.add(fields.apply(e).toArray(String[]::new)));
    }
    return acc.hex();
  }

  /** An accumulator for a caller that streams the examples itself (for example an audit, batch by batch). */
  public static Accumulator accumulator(String kind) {
    return new Accumulator(kind);
  }

  /** Accumulates the examples of one data set, in order; not thread-safe. */
  public static final class Accumulator {

    private final MessageDigest digest;

    private Accumulator(String kind) {
      Objects.requireNonNull(kind, "kind");
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every Java platform", e);
      }
      field(VERSION);
      field(kind);
    }

    /** Adds the next example, given by its fields. */
    public Accumulator add(String... fields) {
      long count = fields.length;
      for (int shift = 56; shift >= 0; shift -= 8) {
        digest.update((byte) (count >>> shift));
      }
      for (String f : fields) {
        field(Objects.requireNonNull(f, "field"));
      }
      return this;
    }

    /** Adds a text example (its id and text). */
    public Accumulator add(TextExample example) {
      return add(example.id(), example.text());
    }

    /** The fingerprint of the examples added so far; the accumulator cannot be used afterwards. */
    public String hex() {
      return HexFormat.of().formatHex(digest.digest());
    }

    private void field(String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      long length = bytes.length;
      for (int shift = 56; shift >= 0; shift -= 8) {
        digest.update((byte) (length >>> shift));
      }
      digest.update(bytes);
    }
  }
}
