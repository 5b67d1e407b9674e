package org.align4j.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.align4j.core.model.internal.BlasThreads;
import org.align4j.core.model.internal.Workspaces;
import org.align4j.core.provenance.Provenance;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.util.Nd4jBackend;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A decoder-only causal transformer language model: hand-written training passes and a SameDiff graph for losses
 * built in SameDiff (engine internals in {@code org.align4j.core.model.internal}); plain ND4J operations with a
 * key/value cache for inference, in a reused workspace of the calling thread. Generation and log-probabilities are
 * safe to call from several threads; training updates {@link #weights()} in place and must not run at the same time.
 *
 * <p>Inference is repeatable bit for bit: its products run on one BLAS thread ({@link BlasThreads}) and are
 * shaped by the inputs alone, so the same inputs give the same outputs whatever runs beside them.
 */
public final class TransformerLm implements LanguageModel {

  /** Sequences per forward pass when scoring log-probabilities. */
  private static final int SCORE_BATCH = 16;
  /** Prompts per generation batch. */
  private static final int GENERATE_BATCH = 64;
  /** The workspace of scoring and generation passes (see {@link Workspaces}). */
  private static final String WORKSPACE = "align4j-transformer-inference";

  private final TransformerWeights weights;
  private final Tokenizer tokenizer;
  private final Provenance provenance;
  private final TransformerInference inference;

  private TransformerLm(TransformerWeights weights, Tokenizer tokenizer, Provenance provenance) {
    this.weights = Objects.requireNonNull(weights, "weights");
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.provenance = Objects.requireNonNull(provenance, "provenance");
    if (tokenizer.vocabSize() != weights.config().vocabSize()) {
      throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabSize()
          + " tokens but the model's vocabulary has " + weights.config().vocabSize());
    }
    this.inference = new TransformerInference(weights);
  }

  /** A freshly initialised model; the same seed gives the same weights. */
  public static TransformerLm create(TransformerConfig config, Tokenizer tokenizer, long seed) {
    Nd4jBackend.require();
    Provenance p = Provenance.of("TransformerLm", configMap(config), seed);
    return new TransformerLm(TransformerWeights.initialize(config, seed), tokenizer, p);
  }

  /** A model over existing weights (for example loaded from a checkpoint). */
  public static TransformerLm of(TransformerWeights weights, Tokenizer tokenizer, Provenance provenance) {
    return new TransformerLm(weights, tokenizer, provenance);
  }

  /** The configuration as a JSON-friendly map, as recorded in provenance. */
  public static Map<String, Object> configMap(TransformerConfig c) {
    Map<String, Object> m = new java.util.TreeMap<>(Map.of("vocabSize", c.vocabSize(), "contextLength",
        c.contextLength(), "dModel", c.dModel(), "heads", c.heads(), "layers", c.layers(), "mlpRatio", c.mlpRatio(),
        "dropout", c.dropout()));
    if (!c.architecture().equals(Architecture.reference())) {
      m.put("architecture", c.architecture().toString());
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The model shape. */
  public TransformerConfig config() {
    return weights.config();
  }

  /** The live weights (trainers update them in place). */
  public TransformerWeights weights() {
    return weights;
  }

  /** The same model (sharing its weights) with other provenance, as trainers record. */
  public TransformerLm withProvenance(Provenance newProvenance) {
    return new TransformerLm(weights, tokenizer, newProvenance);
  }

  /** An independent copy of this model (for a frozen reference). */
  public TransformerLm copy() {
    return new TransformerLm(weights.copy(), tokenizer, provenance);
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public int contextLength() {
    return weights.config().contextLength();
  }

  @Override
  public Provenance provenance() {
    return provenance;
  }

  @Override
  public List<float[]> tokenLogProbs(List<int[]> sequences) {
    for (int[] s : sequences) {
      checkSequence(s, contextLength(), "sequence");
    }
    return BlasThreads.single(() -> {
      List<float[]> out = new ArrayList<>(sequences.size());
      for (int start = 0; start < sequences.size(); start += SCORE_BATCH) {
        out.addAll(scoreBatch(sequences.subList(start, Math.min(sequences.size(), start + SCORE_BATCH))));
      }
      return out;
    });
  }

  private List<float[]> scoreBatch(List<int[]> batch) {
    int inputLen = Math.max(1, batch.stream().mapToInt(s -> s.length - 1).max().orElse(1));
    int[][] tokens = new int[batch.size()][inputLen];
    for (int i = 0; i < batch.size(); i++) {
      Arrays.fill(tokens[i], tokenizer.padId());
      int[] s = batch.get(i);
      System.arraycopy(s, 0, tokens[i], 0, Math.min(s.length, inputLen));
    }
    List<float[]> out = new ArrayList<>(batch.size());
    try (MemoryWorkspace ignored = Workspaces.open(WORKSPACE)) {
      INDArray logits = inference.forward(tokens, new int[batch.size()], null);
      for (int i = 0; i < batch.size(); i++) {
        int[] s = batch.get(i);
        float[] lp = new float[s.length - 1];
        if (lp.length > 0) {
          INDArray rows =
              logits.get(NDArrayIndex.point(i), NDArrayIndex.interval(0, s.length - 1), NDArrayIndex.all());
          float[][] matrix = rows.toFloatMatrix();
          for (int t = 0; t < lp.length; t++) {
            lp[t] = logSoftmaxAt(matrix[t], s[t + 1]);
          }
        }
        out.add(lp);
      }
    }
    return out;
  }

  private static float logSoftmaxAt(float[] row, int target) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : row) {
      sum += Math.exp(v - max);
    }
    return (float) (row[target] - max - Math.log(sum));
  }

  /**
   * The final hidden state (after the last layer norm) at the last token of each sequence, [N, d]: the features a
   * scalar head reads (reward and value models).
   *
   * @throws IllegalArgumentException as {@link #tokenLogProbs} for invalid sequences
   */
  public INDArray lastHiddenStates(List<int[]> sequences) {
    for (int[] s : sequences) {
      checkSequence(s, contextLength(), "sequence");
    }
    return BlasThreads.single(() -> hiddenStates(sequences));
  }

  private INDArray hiddenStates(List<int[]> sequences) {
    INDArray out = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, sequences.size(), config().dModel());
    for (int start = 0; start < sequences.size(); start += SCORE_BATCH) {
      List<int[]> batch = sequences.subList(start, Math.min(sequences.size(), start + SCORE_BATCH));
      int len = batch.stream().mapToInt(s -> s.length).max().orElseThrow();
      int[][] tokens = new int[batch.size()][len];
      for (int i = 0; i < batch.size(); i++) {
        Arrays.fill(tokens[i], tokenizer.padId());
        System.arraycopy(batch.get(i), 0, tokens[i], 0, batch.get(i).length);
      }
      try (MemoryWorkspace ignored = Workspaces.open(WORKSPACE)) {
        INDArray hidden = inference.hidden(tokens, new int[batch.size()], null);
        for (int i = 0; i < batch.size(); i++) {
          out.putRow(start + i, hidden.getRow((long) i * len + batch.get(i).length - 1));
        }
      }
    }
    return out;
  }

  @Override
  public List<int[]> generate(List<int[]> prompts, GenerationConfig config) {
    return generate(prompts, config, true);
  }

  /**
   * Generates with or without the key/value cache. Both give the same tokens; without the cache every new token
   * re-runs the whole sequence (for comparison and benchmarks).
   */
  public List<int[]> generate(List<int[]> prompts, GenerationConfig config, boolean useCache) {
    for (int[] p : prompts) {
      checkSequence(p, contextLength() - 1, "prompt");
    }
    return BlasThreads.single(() -> {
      List<int[]> out = new ArrayList<>(prompts.size());
      for (int start = 0; start < prompts.size(); start += GENERATE_BATCH) {
        List<int[]> batch = prompts.subList(start, Math.min(prompts.size(), start + GENERATE_BATCH));
        out.addAll(generateBatch(batch, start, config, useCache));
      }
      return out;
    });
  }

  private List<int[]> generateBatch(List<int[]> prompts, int offset, GenerationConfig config, boolean useCache) {
    int b = prompts.size();
    int maxLen = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
    int minLen = prompts.stream().mapToInt(p -> p.length).min().orElseThrow();
    int steps = Math.min(config.maxNewTokens(), contextLength() - minLen);
    int[] pad = new int[b];
    int[] limit = new int[b];
    int[][] tokens = new int[b][maxLen + steps];
    SplittableRandom[] random = new SplittableRandom[b];
    for (int i = 0; i < b; i++) {
      int[] p = prompts.get(i);
      pad[i] = maxLen - p.length;
      limit[i] = Math.min(config.maxNewTokens(), contextLength() - p.length);
      Arrays.fill(tokens[i], tokenizer.padId());
      System.arraycopy(p, 0, tokens[i], pad[i], p.length);
      random[i] = rowRandom(config.seed(), offset + i);
    }
    Sampler sampler = new Sampler(config, bannedIds());
    int[] produced = new int[b];
    boolean[] done = new boolean[b];
    KvCache cache = useCache ? inference.newCache(b, maxLen + steps, pad) : null;
    int[] next = null;
    for (int s = 0; s < steps; s++) {
      float[][] rows;
      if (useCache && s > 0) {
        rows = inference.step(next, cache);
      } else if (useCache) {
        rows = inference.prefill(slice(tokens, maxLen), pad, cache);
      } else {
        try (MemoryWorkspace ignored = Workspaces.open(WORKSPACE)) {
          rows = lastPosition(inference.forward(slice(tokens, maxLen + s), pad, null)).toFloatMatrix();
        }
      }
      next = new int[b];
      boolean anyActive = false;
      for (int i = 0; i < b; i++) {
        if (done[i]) {
          next[i] = tokenizer.padId();
          continue;
        }
        next[i] = sampler.next(rows[i], random[i]);
        tokens[i][maxLen + s] = next[i];
        produced[i]++;
        done[i] = produced[i] >= limit[i] || (config.stopAtEos() && next[i] == tokenizer.eosId());
        anyActive |= !done[i];
      }
      if (!anyActive) {
        break;
      }
    }
    List<int[]> out = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      out.add(Arrays.copyOfRange(tokens[i], maxLen, maxLen + produced[i]));
    }
    return out;
  }

  /**
   * Tokens generation never picks: BOS and PAD, unless one of them is also EOS (Hugging Face tokenizers without a
   * padding token, and GPT-2's, whose one special token is BOS, EOS and PAD).
   */
  private int[] bannedIds() {
    return java.util.stream.IntStream.of(tokenizer.bosId(), tokenizer.padId())
        .filter(id -> id != tokenizer.eosId()).distinct().toArray();
  }

  /**
   * The next-token logits at every position of {@code sequence}, [T][V] (row t predicts token t + 1).
   *
   * @throws IllegalArgumentException as {@link #tokenLogProbs} for an invalid sequence
   */
  public float[][] logits(int[] sequence) {
    checkSequence(sequence, contextLength(), "sequence");
    try (MemoryWorkspace ignored = Workspaces.open(WORKSPACE)) {
      INDArray logits = inference.forward(new int[][] {sequence}, new int[1], null);
      return logits.reshape(sequence.length, config().vocabSize()).toFloatMatrix();
    }
  }

  /**
   * The sampler's random stream for row {@code row}: a seed hashed from (seed, row). Seeds that differ by a
   * multiple of SplittableRandom's increment give shifted copies of one stream (row i + 1 drawing row i's next
   * number), which made the rows of a batch correlated; hashing twice keeps rows and seeds apart.
   */
  private static SplittableRandom rowRandom(long seed, int row) {
    long base = new SplittableRandom(seed).nextLong();
    return new SplittableRandom(new SplittableRandom(base + row).nextLong());
  }

  private static int[][] slice(int[][] tokens, int length) {
    int[][] out = new int[tokens.length][];
    for (int i = 0; i < tokens.length; i++) {
      out[i] = Arrays.copyOf(tokens[i], length);
    }
    return out;
  }

  private static INDArray lastPosition(INDArray logits) {
    return logits.get(NDArrayIndex.all(), NDArrayIndex.point(logits.size(1) - 1), NDArrayIndex.all());
  }

  private void checkSequence(int[] s, int maxLength, String what) {
    if (s.length == 0) {
      throw new IllegalArgumentException(what + " is empty");
    }
    if (s.length > maxLength) {
      throw new IllegalArgumentException(what + " of " + s.length + " tokens does not fit the context of "
          + contextLength() + (what.equals("prompt") ? " (a prompt must leave room for one new token)" : ""));
    }
    int v = weights.config().vocabSize();
    for (int id : s) {
      if (id < 0 || id >= v) {
        throw new IllegalArgumentException(what + " holds token id " + id + " outside the vocabulary [0, " + v + ")");
      }
    }
  }
}
