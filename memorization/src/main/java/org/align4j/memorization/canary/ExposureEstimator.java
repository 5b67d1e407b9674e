package org.align4j.memorization.canary;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.align4j.core.model.LanguageModel;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.util.Args;
import org.align4j.memorization.stats.SkewNormal;

/**
 * Measures canary exposure (Carlini et al. 2019). The log-perplexity of a text is the summed negative
 * log-likelihood of its tokens (after BOS when configured). Exposure is {@code log2 |R| - log2 rank}, with the rank
 * among all candidates by log-perplexity (1 for the lowest; tied candidates share their mean rank) found by scoring
 * every candidate when |R| is at most the enumeration limit; for larger spaces a skew-normal is fitted to the log-perplexities of randomly drawn
 * candidates and exposure is {@code -log2 CDF(log-perplexity of the canary)}, capped at {@code log2 |R|}.
 */
public final class ExposureEstimator {

  private final long enumerationLimit;
  private final int samples;
  private final int batchSize;
  private final boolean prependBos;
  private final long seed;

  private ExposureEstimator(Builder b) {
    this.enumerationLimit = b.enumerationLimit;
    this.samples = b.samples;
    this.batchSize = b.batchSize;
    this.prependBos = b.prependBos;
    this.seed = b.seed;
  }

  /** A builder with the defaults: enumeration up to 100,000 candidates, else 5,000 samples; batches of 128. */
  public static Builder builder() {
    return new Builder();
  }

  /** The exposure of every canary of {@code set}, in its order. */
  public List<CanaryExposure> estimate(LanguageModel model, CanarySet set) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(set, "set");
    CanaryFormat format = set.format();
    List<Canary> canaries = set.canaries();
    double[] canaryLp = logPerplexities(model, canaries.stream().map(Canary::text).toList());
    double log2Size = format.log2Size();
    List<CanaryExposure> out = new ArrayList<>();
    if (format.size().compareTo(BigInteger.valueOf(enumerationLimit)) <= 0) {
      long size = format.size().longValueExact();
      long[] lower = new long[canaries.size()];
      long[] equal = new long[canaries.size()];
      for (long start = 0; start < size; start += batchSize) {
        List<String> texts = new ArrayList<>();
        for (long i = start; i < Math.min(size, start + batchSize); i++) {
          texts.add(format.candidate(i));
        }
        double[] lp = logPerplexities(model, texts);
        for (double v : lp) {
          for (int c = 0; c < lower.length; c++) {
            if (v < canaryLp[c]) {
              lower[c]++;
            } else if (v == canaryLp[c]) {
              equal[c]++;
            }
          }
        }
      }
      for (int c = 0; c < canaries.size(); c++) {
        // The canary is one of the candidates: it is among the equal ones.
        double rank = 1 + lower[c] + Math.max(0, equal[c] - 1) / 2.0;
        double exposure = log2Size - Math.log(rank) / Math.log(2);
        out.add(exposure(canaries.get(c), canaryLp[c], exposure, log2Size, "enumeration"));
      }
    } else {
      SplittableRandom rnd = new SplittableRandom(seed);
      List<String> sample = new ArrayList<>(samples);
      for (int i = 0; i < samples; i++) {
        sample.add(format.random(rnd));
      }
      SkewNormal fit = SkewNormal.fit(logPerplexities(model, sample));
      for (int c = 0; c < canaries.size(); c++) {
        double exposure = Math.min(log2Size, Math.max(0, -fit.logCdf(canaryLp[c]) / Math.log(2)));
        out.add(exposure(canaries.get(c), canaryLp[c], exposure, log2Size, "skew-normal"));
      }
    }
    return out;
  }

  private static CanaryExposure exposure(Canary c, double lp, double exposure, double log2Size, String method) {
    return new CanaryExposure(c.id(), c.format(), c.text(), c.insertions(), lp, exposure, log2Size, method);
  }

  /** Summaries by insertion count, in increasing count. */
  public static List<ExposureByCount> byInsertions(List<CanaryExposure> exposures) {
    Map<Integer, List<Double>> groups = new TreeMap<>();
    for (CanaryExposure e : exposures) {
      groups.computeIfAbsent(e.insertions(), k -> new ArrayList<>()).add(e.exposure());
    }
    List<ExposureByCount> out = new ArrayList<>();
    groups.forEach((count, values) -> out.add(new ExposureByCount(count, values.size(),
        values.stream().mapToDouble(Double::doubleValue).average().orElse(0),
        values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
        values.stream().mapToDouble(Double::doubleValue).max().orElse(0))));
    return out;
  }

  /** Summed negative log-likelihood (nats) of each text's tokens under {@code model}, batched. */
  double[] logPerplexities(LanguageModel model, List<String> texts) {
    Tokenizer tokenizer = model.tokenizer();
    double[] out = new double[texts.size()];
    for (int start = 0; start < texts.size(); start += batchSize) {
      List<int[]> sequences = new ArrayList<>();
      int end = Math.min(texts.size(), start + batchSize);
      for (int i = start; i < end; i++) {
        int[] ids = tokenizer.encode(texts.get(i));
        int bos = prependBos ? 1 : 0;
        int[] seq = new int[ids.length + bos];
        if (prependBos) {
          seq[0] = tokenizer.bosId();
        }
        System.arraycopy(ids, 0, seq, bos, ids.length);
        Args.check(seq.length >= 2, "canary text too short to score: '%s'", texts.get(i));
        sequences.add(seq);
      }
      List<float[]> lps = model.tokenLogProbs(sequences);
      for (int i = start; i < end; i++) {
        double sum = 0;
        for (float lp : lps.get(i - start)) {
          sum -= lp;
        }
        out[i] = sum;
      }
    }
    return out;
  }

  /** Configures an {@link ExposureEstimator}. */
  public static final class Builder {
    private long enumerationLimit = 100_000;
    private int samples = 5_000;
    private int batchSize = 128;
    private boolean prependBos = true;
    private long seed;

    private Builder() {}

    /** Largest |R| scored by enumeration (default 100,000); beyond it, the skew-normal extrapolation. */
    public Builder enumerationLimit(long limit) {
      this.enumerationLimit = Args.nonNegative("enumerationLimit", limit);
      return this;
    }

    /** Random candidates for the skew-normal fit (default 5,000, at least 3). */
    public Builder samples(int n) {
      Args.check(n >= 3, "samples must be >= 3, got %s", n);
      this.samples = n;
      return this;
    }

    /** Texts per call to the model (default 128). */
    public Builder batchSize(int n) {
      this.batchSize = Args.positive("batchSize", n);
      return this;
    }

    /** Whether scored sequences start with BOS (default true). */
    public Builder prependBos(boolean bos) {
      this.prependBos = bos;
      return this;
    }

    /** Seed of the candidate sample (default 0). */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** The estimator. */
    public ExposureEstimator build() {
      return new ExposureEstimator(this);
    }
  }
}
