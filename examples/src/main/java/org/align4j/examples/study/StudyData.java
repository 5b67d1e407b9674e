package org.align4j.examples.study;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.Stream;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.data.TextExample;
import org.align4j.core.data.synthetic.SyntheticCodeCorpus;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.util.Args;

/**
 * The study's data: the corpus cut into five disjoint splits of unique examples, the training sequences of each
 * stage (every example repeated by its {@code duplicates} metadata) and the reward-model pairs.
 *
 * @param sft the SFT model's examples
 * @param control the control model's examples (as many as SFT, disjoint from every other split)
 * @param rm the reward-model and IPO examples
 * @param rl the RL prompts' examples
 * @param heldOut examples no model trains on
 */
record StudyData(List<TextExample> sft, List<TextExample> control, List<TextExample> rm, List<TextExample> rl,
    List<TextExample> heldOut) {

  /** Loads the corpus and cuts it into splits, checking that they are disjoint and long enough to audit. */
  static StudyData load(RlhfMemorizationConfig c, Tokenizer tokenizer) {
    int n = c.splitSize();
    List<TextExample> all = corpus(c.data(), c.seed(), 5, n, c.maxDuplicates(), c.piiFraction());
    StudyData d = new StudyData(List.copyOf(all.subList(0, n)), List.copyOf(all.subList(n, 2 * n)),
        List.copyOf(all.subList(2 * n, 3 * n)), List.copyOf(all.subList(3 * n, 4 * n)),
        List.copyOf(all.subList(4 * n, 5 * n)));
    Map<String, List<TextExample>> all5 = new java.util.LinkedHashMap<>(d.audited());
    all5.put("control", d.control());
    checkLengths(all5, tokenizer, c.prefixTokens() + c.suffixTokens());
    return d;
  }

  /**
   * The corpus for {@code splits} disjoint splits of {@code splitSize} unique examples: the embedded synthetic code
   * corpus (with those duplication and PII settings) or the JSONL file {@code data}, checked for overlapping ids
   * and texts and shuffled by {@code seed}.
   *
   * @throws IllegalArgumentException when the file is missing, too small or holds overlapping examples
   */
  static List<TextExample> corpus(Path data, long seed, int splits, int splitSize, int maxDuplicates,
      double piiFraction) {
    int needed = splits * splitSize;
    List<TextExample> all = new ArrayList<>(data == null ? embedded(seed, needed, maxDuplicates, piiFraction)
        : jsonl(data));
    Args.check(all.size() >= needed, "--split-size %s needs %s examples (%s splits), but --data holds %s", splitSize,
        needed, splits, all.size());
    checkDisjoint(all);
    Collections.shuffle(all, new Random(seed));
    return all;
  }

  /** Every example of every split holds at least {@code needed} tokens (the audit's prefix and suffix). */
  static void checkLengths(Map<String, List<TextExample>> splits, Tokenizer tokenizer, int needed) {
    for (Map.Entry<String, List<TextExample>> split : splits.entrySet()) {
      for (TextExample e : split.getValue()) {
        int length = tokenizer.encode(e.text()).length;
        Args.check(length >= needed,
            "split '%s' is too small for --prefix-tokens + --suffix-tokens = %s tokens: its example '%s' has %s",
            split.getKey(), needed, e.id(), length);
      }
    }
  }

  /** The audited splits by name, in order (the control's training data is not audited). */
  Map<String, List<TextExample>> audited() {
    Map<String, List<TextExample>> m = new java.util.LinkedHashMap<>();
    m.put("sft", sft);
    m.put("rm", rm);
    m.put("rl", rl);
    m.put("held-out", heldOut);
    return m;
  }

  private static List<TextExample> embedded(long seed, int count, int maxDuplicates, double piiFraction) {
    SyntheticCodeCorpus corpus = SyntheticCodeCorpus.builder().seed(seed).uniqueExamples(count)
        .maxDuplicates(maxDuplicates).piiFraction(piiFraction).build();
    try (Stream<TextExample> s = corpus.examples().stream()) {
      return s.toList();
    }
  }

  private static List<TextExample> jsonl(Path data) {
    Args.check(Files.isRegularFile(data), "--data: file not found: %s", data);
    try (Stream<TextExample> s = JsonlDatasets.textExamples(data).stream()) {
      return s.toList();
    }
  }

  /** Splits overlap when an id or a text occurs twice in the corpus. */
  private static void checkDisjoint(List<TextExample> all) {
    Map<String, String> textToId = new HashMap<>();
    Map<String, Boolean> ids = new HashMap<>();
    for (TextExample e : all) {
      Args.check(ids.put(e.id(), true) == null,
          "--data: the id '%s' occurs twice, so the splits would overlap (give repeats as a \"duplicates\" count "
              + "instead)", e.id());
      String other = textToId.putIfAbsent(e.text(), e.id());
      Args.check(other == null,
          "--data: examples '%s' and '%s' have the same text, so the splits would overlap (give repeats as a "
              + "\"duplicates\" count instead)", other, e.id());
    }
  }

  /** How often an example is seen in training: its {@code duplicates} metadata, or 1. */
  static int duplicates(TextExample e) {
    Object d = e.metadata().get("duplicates");
    return d instanceof Number num ? Math.max(1, num.intValue()) : 1;
  }

  /** Each example repeated by its duplication count, in a seeded shuffled order. */
  static List<TextExample> repeated(List<TextExample> examples, long seed) {
    List<TextExample> out = new ArrayList<>();
    for (TextExample e : examples) {
      for (int k = 0; k < duplicates(e); k++) {
        out.add(e);
      }
    }
    Collections.shuffle(out, new Random(seed));
    return out;
  }

  /** The first {@code prefixTokens} tokens of each example as text, repeated by duplication count. */
  static List<String> prompts(List<TextExample> examples, Tokenizer tok, int prefixTokens, long seed) {
    return repeated(examples, seed).stream()
        .map(e -> tok.decode(Arrays.copyOf(tok.encode(e.text()), prefixTokens))).toList();
  }

  /**
   * Preference pairs built from code, repeated by duplication count: the prompt is an example's first
   * {@code prefixTokens} tokens, the chosen response its true next {@code suffixTokens} tokens, the rejected one a
   * mutation of them (about a quarter of the letters and digits replaced, so it stays plausible code).
   */
  static List<PreferencePair> pairs(List<TextExample> examples, Tokenizer tok, int prefixTokens, int suffixTokens,
      long seed) {
    List<PreferencePair> out = new ArrayList<>();
    for (TextExample e : repeated(examples, seed)) {
      int[] ids = tok.encode(e.text());
      String prompt = tok.decode(Arrays.copyOf(ids, prefixTokens));
      String chosen = tok.decode(Arrays.copyOfRange(ids, prefixTokens, prefixTokens + suffixTokens));
      String rejected = mutate(chosen, new Random(seed ^ e.id().hashCode()));
      if (!rejected.equals(chosen)) {
        out.add(new PreferencePair(e.id() + "#" + out.size(), prompt, chosen, rejected, Optional.empty(),
            OptionalDouble.empty()));
      }
    }
    return out;
  }

  /** Replaces about a quarter of the letters and digits by others of their kind (at least one when any). */
  static String mutate(String text, Random random) {
    char[] c = text.toCharArray();
    int first = -1;
    boolean changed = false;
    for (int i = 0; i < c.length; i++) {
      if (!Character.isLetterOrDigit(c[i]) || c[i] > 127) {
        continue;
      }
      first = first < 0 ? i : first;
      if (random.nextInt(4) == 0) {
        c[i] = other(c[i], random);
        changed = true;
      }
    }
    if (!changed && first >= 0) {
      c[first] = other(c[first], random);
    }
    return new String(c);
  }

  private static char other(char c, Random random) {
    String pool = Character.isDigit(c) ? "0123456789" : Character.isUpperCase(c) ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        : "abcdefghijklmnopqrstuvwxyz";
    char r;
    do {
      r = pool.charAt(random.nextInt(pool.length()));
    } while (r == c);
    return r;
  }
}
