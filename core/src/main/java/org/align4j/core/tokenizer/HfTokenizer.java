package org.align4j.core.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face tokenizer: a {@code tokenizer.json} with a BPE model (GPT-2's byte-level BPE, or the byte-fallback
 * BPE of SentencePiece-converted Llama-family tokenizers) and the normalizers, pre-tokenizers and decoders of
 * {@link HfPipeline}; or GPT-2's {@code vocab.json} and {@code merges.txt}, converted to the equivalent document.
 *
 * <p>Added tokens keep their ids. Non-special added tokens found in the text are encoded as themselves; special
 * ones (BOS, EOS, ...) are never produced by {@link #encode} from text that happens to spell them (so that data
 * cannot inject control tokens; Hugging Face's default splits them out), and {@link #decode} skips them. Ids above
 * the tokenizer's own up to {@link #vocabSize()} (an embedding padded past the vocabulary) decode to nothing.
 * Immutable and thread-safe.
 */
public final class HfTokenizer implements Tokenizer {

  static final String TYPE = "hf";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode document;
  private final int vocabSize;
  private final int bosId;
  private final int eosId;
  private final int padId;
  private final HfBpeModel model;
  private final HfPipeline pipeline;
  private final String[] tokens;
  private final boolean[] special;
  private final Pattern added;
  private final Map<String, Integer> addedIds = new HashMap<>();

  private HfTokenizer(JsonNode document, int bos, int eos, int pad, int vocabSize) {
    this.document = document;
    JsonNode m = document.path("model");
    if (!m.path("type").asText("BPE").equals("BPE") || !m.path("vocab").isObject()) {
      throw new IllegalArgumentException("tokenizer.json has a " + m.path("type").asText("missing")
          + " model; align4j implements BPE (GPT-2 byte-level and byte-fallback)");
    }
    if (!m.path("continuing_subword_prefix").isMissingNode() && !m.path("continuing_subword_prefix").isNull()
        || !m.path("end_of_word_suffix").isMissingNode() && !m.path("end_of_word_suffix").isNull()) {
      throw new IllegalArgumentException("tokenizer.json uses subword prefixes or suffixes, which align4j does not"
          + " implement");
    }
    Map<String, Integer> vocab = new HashMap<>();
    m.get("vocab").fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
    List<String[]> merges = new ArrayList<>();
    for (JsonNode merge : m.path("merges")) {
      String[] pair = merge.isArray() ? new String[] {merge.get(0).asText(), merge.get(1).asText()}
          : merge.asText().split(" ", 2);
      if (pair.length != 2) {
        throw new IllegalArgumentException("tokenizer.json has a malformed merge: " + merge);
      }
      merges.add(pair);
    }
    Integer unk = m.hasNonNull("unk_token") ? vocab.get(m.get("unk_token").asText()) : null;
    this.model = new HfBpeModel(vocab, merges, m.path("byte_fallback").asBoolean(false),
        m.path("ignore_merges").asBoolean(false), unk == null ? -1 : unk, m.path("fuse_unk").asBoolean(false));
    this.pipeline = new HfPipeline(document.get("normalizer"), document.get("pre_tokenizer"),
        document.get("decoder"));
    int maxId = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    for (JsonNode a : document.path("added_tokens")) {
      maxId = Math.max(maxId, a.path("id").asInt());
    }
    if (maxId >= vocabSize) {
      throw new IllegalArgumentException("the tokenizer has ids up to " + maxId + " but the model's embedding has "
          + vocabSize + " rows");
    }
    this.vocabSize = vocabSize;
    this.tokens = new String[vocabSize];
    this.special = new boolean[vocabSize];
    vocab.forEach((t, id) -> tokens[id] = t);
    List<String> plain = new ArrayList<>();
    for (JsonNode a : document.path("added_tokens")) {
      int id = a.path("id").asInt();
      String content = a.path("content").asText();
      tokens[id] = content;
      special[id] = a.path("special").asBoolean(false);
      if (!special[id]) {
        plain.add(content);
        addedIds.put(content, id);
      }
    }
    plain.sort(Comparator.comparingInt(String::length).reversed());
    this.added = plain.isEmpty() ? null
        : Pattern.compile(String.join("|", plain.stream().map(Pattern::quote).toList()));
    this.bosId = checkId("bos", bos >= 0 ? bos : named("<s>", "<|begin_of_text|>", "<|endoftext|>"));
    this.eosId = checkId("eos", eos >= 0 ? eos : named("</s>", "<|end_of_text|>", "<|endoftext|>"));
    this.padId = checkId("pad", pad >= 0 ? pad : eosId);
    special[bosId] = special[eosId] = special[padId] = true;
  }

  /** The id of the first of {@code names} the tokenizer has, else 0. */
  private int named(String... names) {
    for (String n : names) {
      int id = tokenId(n);
      if (id >= 0) {
        return id;
      }
    }
    return 0;
  }

  private int checkId(String what, int id) {
    if (id < 0 || id >= vocabSize) {
      throw new IllegalArgumentException(what + " token id " + id + " is outside the vocabulary [0, " + vocabSize
          + ")");
    }
    return id;
  }

  /**
   * A tokenizer from the text of a {@code tokenizer.json}. A negative BOS or EOS id means the first of the usual
   * names the tokenizer has ({@code <s>}, {@code <|begin_of_text|>}, {@code <|endoftext|>}; {@code </s>},
   * {@code <|end_of_text|>}, {@code <|endoftext|>}); a negative PAD id means EOS.
   *
   * @param vocabSize the model's embedding rows (at least the tokenizer's largest id + 1)
   * @throws IllegalArgumentException when the document is malformed, uses a step align4j does not implement, or
   *     has ids beyond {@code vocabSize}
   */
  public static HfTokenizer fromTokenizerJson(String json, int bosId, int eosId, int padId, int vocabSize) {
    return new HfTokenizer(parse(json, "tokenizer.json"), bosId, eosId, padId, vocabSize);
  }

  /**
   * GPT-2's tokenizer files: {@code vocab.json} (token to id) and {@code merges.txt} (a {@code #version} line, then
   * one merge a line), with GPT-2's byte-level pre-tokenizer and decoder; {@code <|endoftext|>} is special.
   * Negative special ids are resolved as in {@link #fromTokenizerJson}.
   */
  public static HfTokenizer fromVocabAndMerges(String vocabJson, String mergesTxt, int bosId, int eosId, int padId,
      int vocabSize) {
    ObjectNode doc = JSON.createObjectNode();
    JsonNode vocab = parse(vocabJson, "vocab.json");
    ArrayNode added = doc.putArray("added_tokens");
    if (vocab.has("<|endoftext|>")) {
      added.addObject().put("id", vocab.get("<|endoftext|>").asInt()).put("content", "<|endoftext|>")
          .put("special", true);
    }
    doc.putNull("normalizer");
    doc.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", true);
    doc.putObject("decoder").put("type", "ByteLevel");
    ObjectNode model = doc.putObject("model");
    model.put("type", "BPE").put("byte_fallback", false);
    model.set("vocab", vocab);
    ArrayNode merges = model.putArray("merges");
    for (String line : mergesTxt.split("\n")) {
      String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      if (!l.isEmpty() && !l.startsWith("#version")) {
        merges.add(l);
      }
    }
    return new HfTokenizer(doc, bosId, eosId, padId, vocabSize);
  }

  /** Rebuilds a tokenizer from the JSON of {@link #toJson()}. */
  static HfTokenizer fromAlign4jJson(JsonNode root) {
    return new HfTokenizer(root.path("tokenizer"), root.path("bos").asInt(-1), root.path("eos").asInt(-1),
        root.path("pad").asInt(-1), root.path("vocabSize").asInt(-1));
  }

  private static JsonNode parse(String json, String name) {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException(name + " is not a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(name + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
  }

  /** The id of the added or vocabulary token spelled {@code content}, or -1. */
  public int tokenId(String content) {
    for (int i = 0; i < tokens.length; i++) {
      if (content.equals(tokens[i])) {
        return i;
      }
    }
    return -1;
  }

  /** The string of token {@code id} as the tokenizer stores it (byte-level characters, added tokens), or null. */
  public String token(int id) {
    return id >= 0 && id < vocabSize ? tokens[id] : null;
  }

  /** The {@code tokenizer.json} document this tokenizer was built from, as text. */
  public String tokenizerJson() {
    return document.toString();
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int bosId() {
    return bosId;
  }

  @Override
  public int eosId() {
    return eosId;
  }

  @Override
  public int padId() {
    return padId;
  }

  @Override
  public boolean isSpecial(int id) {
    return id >= 0 && id < vocabSize && special[id];
  }

  @Override
  public int[] encode(String text) {
    HfBpeModel.IntList out = new HfBpeModel.IntList();
    if (added == null) {
      encodeSection(text, true, out);
      return out.toArray();
    }
    Matcher m = added.matcher(text);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        encodeSection(text.substring(at, m.start()), at == 0, out);
      }
      out.add(addedIds.get(m.group()));
      at = m.end();
    }
    if (at < text.length()) {
      encodeSection(text.substring(at), at == 0, out);
    }
    return out.toArray();
  }

  private void encodeSection(String text, boolean first, HfBpeModel.IntList out) {
    String s = text;
    for (var n : pipeline.normalizers) {
      s = n.apply(s);
    }
    List<String> chunks = s.isEmpty() ? List.of() : List.of(s);
    boolean isFirst = first;
    for (HfPipeline.PreStep step : pipeline.preSteps) {
      List<String> next = new ArrayList<>();
      for (int i = 0; i < chunks.size(); i++) {
        next.addAll(step.apply(chunks.get(i), isFirst && i == 0));
      }
      chunks = next;
    }
    for (String chunk : chunks) {
      model.encode(chunk, out);
    }
  }

  @Override
  public String decode(int[] ids) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int id : ids) {
      if (id < 0 || id >= vocabSize) {
        throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + vocabSize + ")");
      }
      if (special[id] || tokens[id] == null) {
        continue;
      }
      int b = pipeline.byteFallbackDecode ? model.fallbackByte(id) : -1;
      if (b >= 0) {
        bytes.write(b);
        continue;
      }
      String token = tokens[id];
      if (pipeline.byteLevelDecode && model.id(token) != null) {
        for (int i = 0; i < token.length(); i++) {
          int v = ByteLevel.toByte(token.charAt(i));
          if (v >= 0) {
            bytes.write(v);
          } else {
            HfBpeModel.appendUtf8(bytes, String.valueOf(token.charAt(i)));
          }
        }
        continue;
      }
      for (String[] r : pipeline.replacements) {
        token = token.replace(r[0], r[1]);
      }
      HfBpeModel.appendUtf8(bytes, token);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    int strip = 0;
    while (strip < pipeline.stripStart && strip < text.length() && text.charAt(strip) == ' ') {
      strip++;
    }
    return text.substring(strip);
  }

  @Override
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", TYPE).put("version", Tokenizers.FORMAT_VERSION).put("vocabSize", vocabSize)
        .put("bos", bosId).put("eos", eosId).put("pad", padId);
    root.set("tokenizer", document);
    return root.toString();
  }
}
