package org.align4j.memorization.fake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.LanguageModel;
import org.align4j.core.provenance.Provenance;
import org.align4j.core.tokenizer.Tokenizer;

/**
 * A deterministic test model that memorizes its training texts: an n-gram table of the last {@code order} tokens.
 * Greedy decoding continues a seen context with its most frequent next token (ties: the smallest id) and an unseen
 * one with a fixed fallback token; log-probabilities come from add-alpha smoothed counts (uniform for unseen
 * contexts). Sampling draws from the smoothed distribution at the given temperature, seeded per prompt.
 */
public final class NgramModel implements LanguageModel {

  private static final double ALPHA = 0.001;

  private final Tokenizer tokenizer;
  private final int order;
  private final int contextLength;
  private final int fallback;
  private final int vocab;
  private final Map<String, Map<Integer, Integer>> counts = new HashMap<>();
  private final Map<String, Integer> totals = new HashMap<>();
  private final Map<String, Integer> argmax = new HashMap<>();
  private final Provenance provenance;

  /** A model of {@code order} trained on {@code texts} (each as BOS + bytes + EOS), fallback token ' '. */
  public NgramModel(Tokenizer tokenizer, int order, List<String> texts) {
    this(tokenizer, order, texts, 512, ' ');
  }

  /** A fully specified model; {@code fallback} may lie outside the tokenizer's vocabulary (to test checks). */
  public NgramModel(Tokenizer tokenizer, int order, List<String> texts, int contextLength, int fallback) {
    this.tokenizer = tokenizer;
    this.order = order;
    this.contextLength = contextLength;
    this.fallback = fallback;
    this.vocab = tokenizer.vocabSize();
    for (String text : texts) {
      int[] ids = tokenizer.encode(text);
      int[] seq = new int[ids.length + 2];
      seq[0] = tokenizer.bosId();
      System.arraycopy(ids, 0, seq, 1, ids.length);
      seq[seq.length - 1] = tokenizer.eosId();
      for (int t = 1; t < seq.length; t++) {
        String key = key(seq, t);
        counts.computeIfAbsent(key, k -> new HashMap<>()).merge(seq[t], 1, Integer::sum);
        totals.merge(key, 1, Integer::sum);
      }
    }
    counts.forEach((key, next) -> {
      int best = -1;
      int bestCount = -1;
      for (Map.Entry<Integer, Integer> e : next.entrySet()) {
        if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < best)) {
          best = e.getKey();
          bestCount = e.getValue();
        }
      }
      argmax.put(key, best);
    });
    this.provenance = Provenance.of("NgramModel", Map.of("order", order, "texts", texts.size()), 0);
  }

  private String key(int[] seq, int t) {
    int from = Math.max(0, t - order);
    char[] c = new char[t - from];
    for (int i = from; i < t; i++) {
      c[i - from] = (char) seq[i];
    }
    return new String(c);
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public int contextLength() {
    return contextLength;
  }

  @Override
  public List<float[]> tokenLogProbs(List<int[]> sequences) {
    List<float[]> out = new ArrayList<>();
    for (int[] seq : sequences) {
      check(seq);
      float[] lp = new float[seq.length - 1];
      for (int t = 1; t < seq.length; t++) {
        lp[t - 1] = (float) Math.log(probability(key(seq, t), seq[t]));
      }
      out.add(lp);
    }
    return out;
  }

  private double probability(String key, int next) {
    Map<Integer, Integer> c = counts.get(key);
    if (c == null) {
      return 1.0 / vocab;
    }
    return (c.getOrDefault(next, 0) + ALPHA) / (totals.get(key) + ALPHA * vocab);
  }

  @Override
  public List<int[]> generate(List<int[]> prompts, GenerationConfig config) {
    List<int[]> out = new ArrayList<>();
    for (int p = 0; p < prompts.size(); p++) {
      int[] prompt = prompts.get(p);
      check(prompt);
      SplittableRandom rnd = new SplittableRandom(config.seed() * 1_000_003L + p);
      int[] seq = java.util.Arrays.copyOf(prompt, Math.min(contextLength, prompt.length + config.maxNewTokens()));
      int n = prompt.length;
      while (n < seq.length) {
        String key = key(seq, n);
        int next = config.isGreedy() ? argmax.getOrDefault(key, fallback) : sample(key, config.temperature(), rnd);
        seq[n++] = next;
        if (config.stopAtEos() && next == tokenizer.eosId()) {
          break;
        }
      }
      out.add(java.util.Arrays.copyOfRange(seq, prompt.length, n));
    }
    return out;
  }

  private int sample(String key, double temperature, SplittableRandom rnd) {
    double[] w = new double[vocab];
    double sum = 0;
    for (int v = 0; v < vocab; v++) {
      w[v] = Math.pow(probability(key, v), 1 / temperature);
      sum += w[v];
    }
    double u = rnd.nextDouble() * sum;
    for (int v = 0; v < vocab; v++) {
      u -= w[v];
      if (u <= 0) {
        return v;
      }
    }
    return vocab - 1;
  }

  private void check(int[] seq) {
    if (seq.length == 0 || seq.length > contextLength) {
      throw new IllegalArgumentException("sequence length " + seq.length + " not in [1, " + contextLength + "]");
    }
    for (int id : seq) {
      if (id < 0 || id >= vocab) {
        throw new IllegalArgumentException("id " + id + " outside the vocabulary");
      }
    }
  }

  @Override
  public Provenance provenance() {
    return provenance;
  }
}
