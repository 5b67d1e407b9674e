package org.align4j.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text-processing steps of a Hugging Face {@code tokenizer.json} around its model: normalizers ({@code Prepend},
 * {@code Replace}, {@code NFC}/{@code NFD}/{@code NFKC}/{@code NFKD}, {@code Lowercase}, {@code Sequence}),
 * pre-tokenizers ({@code ByteLevel} with GPT-2's pattern, {@code Split} by a pattern with behaviour
 * {@code Isolated}, {@code Metaspace}, {@code Sequence}) and decoders ({@code ByteLevel}, {@code Replace},
 * {@code ByteFallback}, {@code Fuse}, {@code Strip}, {@code Metaspace}, {@code Sequence}). Any other step is
 * rejected by name rather than skipped.
 */
final class HfPipeline {

  /**
   * GPT-2's pre-tokenisation pattern. With {@link Pattern#UNICODE_CHARACTER_CLASS}, {@code \s} is Unicode white
   * space, as in the Python {@code regex} module GPT-2 was published with.
   */
  static final Pattern GPT2_SPLIT = Pattern.compile(
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
      Pattern.UNICODE_CHARACTER_CLASS);

  /** One pre-tokenisation step: a chunk into chunks; {@code first} when the chunk starts the text. */
  interface PreStep {
    List<String> apply(String chunk, boolean first);
  }

  final List<UnaryOperator<String>> normalizers = new ArrayList<>();
  final List<PreStep> preSteps = new ArrayList<>();
  /** Decoding: token strings mapped back to bytes through the byte-level table. */
  boolean byteLevelDecode;
  /** Decoding: {@code <0xAB>} tokens are bytes. */
  boolean byteFallbackDecode;
  /** Decoding: replacements applied to each token string, in order (pairs of from, to). */
  final List<String[]> replacements = new ArrayList<>();
  /** Decoding: leading spaces stripped from the text. */
  int stripStart;

  HfPipeline(JsonNode normalizer, JsonNode preTokenizer, JsonNode decoder) {
    addNormalizer(normalizer);
    addPreTokenizer(preTokenizer);
    addDecoder(decoder);
  }

  private static String type(JsonNode n) {
    return n.path("type").asText("");
  }

  private static IllegalArgumentException unsupported(String what, JsonNode n) {
    return new IllegalArgumentException("tokenizer.json uses the " + what + " " + type(n)
        + ", which align4j does not implement");
  }

  private void addNormalizer(JsonNode n) {
    if (n == null || n.isNull()) {
      return;
    }
    switch (type(n)) {
      case "Sequence" -> n.path("normalizers").forEach(this::addNormalizer);
      case "Prepend" -> {
        String p = n.path("prepend").asText();
        normalizers.add(s -> s.isEmpty() ? s : p + s);
      }
      case "Replace" -> normalizers.add(replace(n));
      case "NFC" -> normalizers.add(s -> Normalizer.normalize(s, Normalizer.Form.NFC));
      case "NFD" -> normalizers.add(s -> Normalizer.normalize(s, Normalizer.Form.NFD));
      case "NFKC" -> normalizers.add(s -> Normalizer.normalize(s, Normalizer.Form.NFKC));
      case "NFKD" -> normalizers.add(s -> Normalizer.normalize(s, Normalizer.Form.NFKD));
      case "Lowercase" -> normalizers.add(s -> s.toLowerCase(Locale.ROOT));
      default -> throw unsupported("normalizer", n);
    }
  }

  private static UnaryOperator<String> replace(JsonNode n) {
    String content = n.path("content").asText();
    JsonNode pattern = n.path("pattern");
    if (pattern.has("String")) {
      String from = pattern.get("String").asText();
      return s -> s.replace(from, content);
    }
    Pattern regex = Pattern.compile(pattern.path("Regex").asText(), Pattern.UNICODE_CHARACTER_CLASS);
    String literal = Matcher.quoteReplacement(content);
    return s -> regex.matcher(s).replaceAll(literal);
  }

  private void addPreTokenizer(JsonNode n) {
    if (n == null || n.isNull()) {
      return;
    }
    switch (type(n)) {
      case "Sequence" -> n.path("pretokenizers").forEach(this::addPreTokenizer);
      case "ByteLevel" -> {
        boolean prefix = n.path("add_prefix_space").asBoolean(true);
        boolean regex = n.path("use_regex").asBoolean(true);
        preSteps.add((chunk, first) -> {
          String s = prefix && first && !chunk.startsWith(" ") ? " " + chunk : chunk;
          List<String> out = regex ? split(GPT2_SPLIT, s) : List.of(s);
          return out.stream().map(c -> ByteLevel.encode(c.getBytes(StandardCharsets.UTF_8))).toList();
        });
      }
      case "Split" -> {
        if (!n.path("behavior").asText().equals("Isolated") || n.path("invert").asBoolean(false)) {
          throw new IllegalArgumentException("tokenizer.json uses a Split pre-tokenizer with behavior "
              + n.path("behavior").asText() + (n.path("invert").asBoolean(false) ? " inverted" : "")
              + "; align4j implements Isolated only");
        }
        JsonNode p = n.path("pattern");
        Pattern pattern = p.has("String") ? Pattern.compile(Pattern.quote(p.get("String").asText()))
            : Pattern.compile(p.path("Regex").asText(), Pattern.UNICODE_CHARACTER_CLASS);
        preSteps.add((chunk, first) -> split(pattern, chunk));
      }
      case "Metaspace" -> {
        String r = n.path("replacement").asText("\u2581");
        String scheme = n.has("prepend_scheme") ? n.get("prepend_scheme").asText()
            : n.path("add_prefix_space").asBoolean(true) ? "always" : "never";
        boolean splitOn = n.path("split").asBoolean(true);
        preSteps.add((chunk, first) -> {
          String s = chunk.replace(" ", r);
          if ((scheme.equals("always") || (scheme.equals("first") && first)) && !s.startsWith(r)) {
            s = r + s;
          }
          return splitOn ? splitBefore(s, r) : List.of(s);
        });
      }
      default -> throw unsupported("pre-tokenizer", n);
    }
  }

  private void addDecoder(JsonNode n) {
    if (n == null || n.isNull()) {
      return;
    }
    switch (type(n)) {
      case "Sequence" -> n.path("decoders").forEach(this::addDecoder);
      case "ByteLevel" -> byteLevelDecode = true;
      case "ByteFallback" -> byteFallbackDecode = true;
      case "Fuse" -> { }
      case "Replace" -> {
        if (!n.path("pattern").has("String")) {
          throw new IllegalArgumentException("tokenizer.json uses a Replace decoder with a regex; align4j "
              + "implements string patterns only");
        }
        replacements.add(new String[] {n.path("pattern").get("String").asText(), n.path("content").asText()});
      }
      case "Strip" -> {
        if (!n.path("content").asText(" ").equals(" ") || n.path("stop").asInt(0) != 0) {
          throw new IllegalArgumentException("tokenizer.json uses a Strip decoder other than leading spaces");
        }
        stripStart += n.path("start").asInt(0);
      }
      case "Metaspace" -> {
        replacements.add(new String[] {n.path("replacement").asText("\u2581"), " "});
        String scheme = n.has("prepend_scheme") ? n.get("prepend_scheme").asText()
            : n.path("add_prefix_space").asBoolean(true) ? "always" : "never";
        stripStart += scheme.equals("never") ? 0 : 1;
      }
      default -> throw unsupported("decoder", n);
    }
  }

  /** The matches of {@code pattern} in {@code s} and the text between them, in order, none empty. */
  static List<String> split(Pattern pattern, String s) {
    List<String> out = new ArrayList<>();
    Matcher m = pattern.matcher(s);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        out.add(s.substring(at, m.start()));
      }
      if (m.end() > m.start()) {
        out.add(m.group());
      }
      at = m.end();
    }
    if (at < s.length()) {
      out.add(s.substring(at));
    }
    return out;
  }

  /** {@code s} cut before every occurrence of {@code marker} (each piece but maybe the first starts with it). */
  private static List<String> splitBefore(String s, String marker) {
    List<String> out = new ArrayList<>();
    int at = 0;
    for (int i = s.indexOf(marker, 1); i >= 0; i = s.indexOf(marker, i + 1)) {
      out.add(s.substring(at, i));
      at = i;
    }
    if (at < s.length()) {
      out.add(s.substring(at));
    }
    return out;
  }
}
