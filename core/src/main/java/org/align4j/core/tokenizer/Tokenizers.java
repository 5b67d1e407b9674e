package org.align4j.core.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.align4j.core.io.AtomicFiles;

/**
 * Saves and loads tokenizers as JSON. The document names its {@code "type"} ({@code "byte"} or {@code "bpe"}) and
 * the format {@code "version"} (currently {@value #FORMAT_VERSION}):
 *
 * <pre>{@code
 * {"type":"byte","version":1}
 * {"type":"bpe","version":1,"preTokenizer":"gpt2","vocabSize":262,"merges":[[104,101],[256,108]]}
 * }</pre>
 *
 * <p>In a BPE document merge {@code k} joins two ids below {@code 256 + k}; {@code vocabSize} is checked against
 * the merges. A document that is not JSON, is truncated, or describes something else is rejected with an
 * {@link IllegalArgumentException} saying what is wrong.
 */
public final class Tokenizers {

  /** The version of the JSON format written by this library. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private Tokenizers() {}

  /**
   * Rebuilds a tokenizer from the JSON of {@link Tokenizer#toJson()}.
   *
   * @throws IllegalArgumentException if the text is not a tokenizer document of a known type and version
   */
  public static Tokenizer fromJson(String json) {
    Objects.requireNonNull(json, "json");
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a tokenizer JSON document (invalid or truncated JSON: " + e.getOriginalMessage() + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a tokenizer JSON document (expected a JSON object)");
    }
    JsonNode type = root.get("type");
    if (type == null || !type.isTextual()) {
      throw new IllegalArgumentException("not a tokenizer JSON document (no string field \"type\")");
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isInt() || version.intValue() != FORMAT_VERSION) {
      throw new IllegalArgumentException("unsupported tokenizer format version " + version + " (this library reads "
          + FORMAT_VERSION + ")");
    }
    return switch (type.textValue()) {
      case ByteTokenizer.TYPE -> ByteTokenizer.INSTANCE;
      case BpeTokenizer.TYPE -> bpeFromJson(root);
      case HfTokenizer.TYPE -> HfTokenizer.fromAlign4jJson(root);
      default -> throw new IllegalArgumentException(
          "unknown tokenizer type \"" + type.textValue() + "\" (known: byte, bpe, hf)");
    };
  }

  /**
   * Reads a tokenizer saved with {@link #save}.
   *
   * @throws IllegalArgumentException if the file is not a valid tokenizer document (the message names the file)
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Tokenizer load(Path path) {
    String json;
    try {
      json = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + path + ": " + e.getMessage(), e);
    }
    try {
      return fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code tokenizer.toJson()} to {@code path} atomically. */
  public static void save(Tokenizer tokenizer, Path path) {
    AtomicFiles.writeString(path, tokenizer.toJson());
  }

  private static BpeTokenizer bpeFromJson(JsonNode root) {
    JsonNode pre = root.get("preTokenizer");
    if (pre == null || !pre.isTextual()) {
      throw new IllegalArgumentException("bpe tokenizer JSON lacks the string field \"preTokenizer\"");
    }
    JsonNode mergesNode = root.get("merges");
    if (mergesNode == null || !mergesNode.isArray()) {
      throw new IllegalArgumentException("bpe tokenizer JSON lacks the array field \"merges\"");
    }
    List<BpeTokenizer.Merge> merges = new ArrayList<>(mergesNode.size());
    for (int k = 0; k < mergesNode.size(); k++) {
      JsonNode m = mergesNode.get(k);
      if (!m.isArray() || m.size() != 2 || !m.get(0).isInt() || !m.get(1).isInt()) {
        throw new IllegalArgumentException("bpe tokenizer JSON: merge " + k + " must be a pair of ids, got " + m);
      }
      merges.add(new BpeTokenizer.Merge(m.get(0).intValue(), m.get(1).intValue()));
    }
    BpeTokenizer tokenizer = BpeTokenizer.of(merges, PreTokenizer.fromJsonName(pre.textValue()));
    JsonNode vocabSize = root.get("vocabSize");
    if (vocabSize != null && (!vocabSize.isInt() || vocabSize.intValue() != tokenizer.vocabSize())) {
      throw new IllegalArgumentException("bpe tokenizer JSON: vocabSize " + vocabSize + " does not match its "
          + merges.size() + " merges (expected " + tokenizer.vocabSize() + "); the file may be truncated");
    }
    return tokenizer;
  }
}
