package org.align4j.examples.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.data.TextExample;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.memorization.canary.CanaryFormat;
import org.align4j.memorization.canary.CanarySet;

/**
 * The private alignment study's data: four disjoint splits of unique examples (SFT, reward model, RL prompts, held
 * out), so that each stage's records are disjoint from every other stage's and the stages compose in parallel.
 *
 * @param sft the unique SFT examples (what the audit scans), those with PII cut to start shortly before it
 * @param sftRows the SFT training rows: each example repeated by its duplication count, plus the canaries' copies
 * @param canaries the canaries planted in {@code sftRows}, with never-inserted references
 * @param pairs the reward model's preference pairs (from the reward split)
 * @param heldOutPairs preference pairs built the same way from the held-out split
 * @param prompts the RL prompts (from the RL split, repeated by duplication count)
 * @param heldOut the held-out examples
 * @param heldOutPrompts their first prefix tokens, as text
 * @param heldOutTargets their next suffix tokens, as text (what the judge compares with)
 */
record DpAlignmentData(List<TextExample> sft, Dataset<TextExample> sftRows, CanarySet canaries,
    List<PreferencePair> pairs, List<PreferencePair> heldOutPairs, List<String> prompts, List<TextExample> heldOut,
    List<String> heldOutPrompts, List<String> heldOutTargets) {

  /** The fraction of the embedded corpus's examples carrying a PII-like string. */
  static final double PII_FRACTION = 0.25;

  /** Loads the corpus, cuts it into splits and plants the canaries. */
  static DpAlignmentData load(DpAlignmentConfig c, Tokenizer tok) {
    int n = c.splitSize();
    List<TextExample> all = StudyData.corpus(c.data(), c.seed(), 4, n, c.maxDuplicates(), PII_FRACTION);
    List<TextExample> sft = all.subList(0, n).stream().map(e -> atPii(e, c.prefixTokens())).toList();
    List<TextExample> rm = List.copyOf(all.subList(n, 2 * n));
    List<TextExample> rl = List.copyOf(all.subList(2 * n, 3 * n));
    List<TextExample> heldOut = List.copyOf(all.subList(3 * n, 4 * n));
    Map<String, List<TextExample>> splits = new LinkedHashMap<>();
    splits.put("sft", sft);
    splits.put("rm", rm);
    splits.put("rl", rl);
    splits.put("held-out", heldOut);
    StudyData.checkLengths(splits, tok, c.prefixTokens() + c.suffixTokens());
    CanarySet canaries = CanarySet.generate(CanaryFormat.of("my pin is {digits:" + c.canaryDigits() + "}"),
        DpAlignmentConfig.CANARY_COUNTS, 1, 2, c.seed() + 5);
    Dataset<TextExample> rows = canaries.insertInto(Dataset.of("sft", StudyData.repeated(sft, c.seed() + 1)));
    List<PreferencePair> pairs = StudyData.pairs(rm, tok, c.prefixTokens(), c.suffixTokens(), c.seed() + 2);
    List<PreferencePair> heldOutPairs = StudyData.pairs(heldOut, tok, c.prefixTokens(), c.suffixTokens(),
        c.seed() + 4);
    List<String> prompts = StudyData.prompts(rl, tok, c.prefixTokens(), c.seed() + 3);
    List<String> heldOutPrompts = new ArrayList<>();
    List<String> heldOutTargets = new ArrayList<>();
    for (TextExample e : heldOut) {
      int[] ids = tok.encode(e.text());
      heldOutPrompts.add(tok.decode(Arrays.copyOf(ids, c.prefixTokens())));
      heldOutTargets.add(tok.decode(Arrays.copyOfRange(ids, c.prefixTokens(), c.prefixTokens() + c.suffixTokens())));
    }
    return new DpAlignmentData(sft, Dataset.of("sft-rows", materialize(rows)), canaries, pairs, heldOutPairs,
        prompts, heldOut, heldOutPrompts, heldOutTargets);
  }

  /**
   * {@code e}, or when it carries a PII string ({@code pii_value}) that starts after {@code prefix} characters, its
   * text from {@code prefix} characters before that string: the string then falls in what the model trains on
   * (texts are cut to the context) and in the audit's target, right after its prompt.
   */
  static TextExample atPii(TextExample e, int prefix) {
    Object pii = e.metadata().get("pii_value");
    int at = pii instanceof String s && !s.isEmpty() ? e.text().indexOf(s) : -1;
    return at > prefix ? new TextExample(e.id(), e.text().substring(at - prefix), e.metadata()) : e;
  }

  /** The number of SFT training rows. */
  int sftRecords() {
    try (Stream<TextExample> s = sftRows.stream()) {
      return (int) s.count();
    }
  }

  private static List<TextExample> materialize(Dataset<TextExample> d) {
    try (Stream<TextExample> s = d.stream()) {
      return s.toList();
    }
  }
}
