package org.align4j.rewardmodel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.provenance.Provenance;
import org.align4j.core.tokenizer.Tokenizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A reward model made of the core causal transformer ({@link TransformerLm}) and a scalar head: the reward of a
 * (prompt, response) pair is {@code h · w + b}, where {@code h} is the final hidden state at the last token of
 * {@code BOS + prompt + response + EOS} (the EOS is appended, as TRL's {@code RewardTrainer} does, so the head
 * reads a token that has seen the whole response), {@code w} is a [d, 1] weight and {@code b} a bias.
 *
 * <p>Sequences longer than the context are cut <em>from the left of the prompt</em>: the response is kept whole
 * and the prompt loses its oldest tokens. A response that does not fit by itself ({@code response + 2 > context})
 * is rejected with an {@link IllegalArgumentException}.
 *
 * <p>Scoring is safe from several threads; training ({@link org.align4j.rewardmodel.train.RewardTrainer}) updates
 * the backbone's weights and the head in place and must not run at the same time. Save with {@link #save(Path)},
 * load with {@link #load(Path)}.
 */
public final class TransformerRewardModel implements RewardModel {

  /** Standard deviation of a fresh head's weights (the usual transformer initialiser range). */
  private static final double HEAD_INIT_STD = 0.02;

  private final TransformerLm backbone;
  private final INDArray headWeight;
  private final INDArray headBias;

  /** Wraps the arrays as they are (callers pass float32 arrays of their own). */
  private TransformerRewardModel(TransformerLm backbone, INDArray headWeight, INDArray headBias) {
    this.backbone = backbone;
    this.headWeight = headWeight;
    this.headBias = headBias;
  }

  /** Checks the head against the backbone and takes float32 copies of it. */
  private static TransformerRewardModel checked(TransformerLm backbone, INDArray headWeight, INDArray headBias) {
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(headWeight, "headWeight");
    Objects.requireNonNull(headBias, "headBias");
    long d = backbone.config().dModel();
    if (!Arrays.equals(headWeight.shape(), new long[] {d, 1})) {
      throw new IllegalArgumentException("head weight has shape " + Arrays.toString(headWeight.shape())
          + " but the backbone needs [" + d + ", 1]");
    }
    if (headBias.length() != 1) {
      throw new IllegalArgumentException("head bias has " + headBias.length() + " values, expected 1");
    }
    return new TransformerRewardModel(backbone, headWeight.castTo(DataType.FLOAT).dup('c'),
        headBias.castTo(DataType.FLOAT).reshape(1).dup('c'));
  }

  /**
   * A reward model initialised from a trained language model: an independent copy of its weights and tokenizer,
   * and a fresh head (normal(0, 0.02) weights from {@code seed}, zero bias). The language model is not changed.
   * The provenance keeps the language model's configuration and history, with kind
   * {@code TransformerRewardModel}, {@code initialisedFrom} in the configuration and {@code seed} as the seed.
   */
  public static TransformerRewardModel fromLanguageModel(TransformerLm lm, long seed) {
    TransformerLm copy = lm.copy();
    Map<String, Object> settings = Map.of("initialisedFrom", lm.provenance().kind());
    Provenance p = Provenance.of("TransformerRewardModel", merge(lm.provenance().configuration(), settings), seed)
        .withHistory(lm.provenance().history());
    return new TransformerRewardModel(copy.withProvenance(p), freshHead(copy.config().dModel(), seed), zeroBias());
  }

  /** A freshly initialised reward model (backbone and head from {@code seed}); the same seed gives the same model. */
  public static TransformerRewardModel create(TransformerConfig config, Tokenizer tokenizer, long seed) {
    TransformerLm lm = TransformerLm.create(config, tokenizer, seed);
    Provenance p = Provenance.of("TransformerRewardModel", TransformerLm.configMap(config), seed);
    return new TransformerRewardModel(lm.withProvenance(p), freshHead(config.dModel(), seed), zeroBias());
  }

  /**
   * A reward model over an existing backbone and head (copied; the backbone is shared).
   *
   * @param headWeight the head weight, [d, 1]
   * @param headBias the head bias, one value
   * @throws IllegalArgumentException when the head's shape does not match the backbone
   */
  public static TransformerRewardModel of(TransformerLm backbone, INDArray headWeight, INDArray headBias) {
    return checked(backbone, headWeight, headBias);
  }

  /** Loads a model saved by {@link #save(Path)} (a directory, or a file ending in {@code .zip}). */
  public static TransformerRewardModel load(Path path) {
    return RewardModelCheckpoint.load(path);
  }

  /**
   * Saves this model atomically: to a zip file when the name ends in {@code .zip}, else to a directory. Either
   * holds {@code reward_model.json} (format, version and the head) and the backbone as a core checkpoint under
   * {@code lm/}.
   */
  public void save(Path path) {
    RewardModelCheckpoint.save(this, path);
  }

  /** The transformer (its weights are live: training updates them). */
  public TransformerLm backbone() {
    return backbone;
  }

  /** The live head weight, [d, 1] float32. */
  public INDArray headWeight() {
    return headWeight;
  }

  /** The live head bias, [1] float32. */
  public INDArray headBias() {
    return headBias;
  }

  /** The tokenizer. */
  public Tokenizer tokenizer() {
    return backbone.tokenizer();
  }

  /** The context length in tokens (BOS and EOS included). */
  public int contextLength() {
    return backbone.contextLength();
  }

  /** Where the model came from (the backbone's provenance). */
  public Provenance provenance() {
    return backbone.provenance();
  }

  /** The same model (sharing its arrays) with other provenance, as trainers record. */
  public TransformerRewardModel withProvenance(Provenance p) {
    return new TransformerRewardModel(backbone.withProvenance(p), headWeight, headBias);
  }

  /** An independent copy (backbone weights and head). */
  public TransformerRewardModel copy() {
    return new TransformerRewardModel(backbone.copy(), headWeight.dup('c'), headBias.dup('c'));
  }

  /**
   * The tokens the head reads for one pair: {@code BOS + prompt + response + EOS}, the prompt cut from the left
   * when the whole does not fit the context.
   *
   * @throws IllegalArgumentException when the response alone (with BOS and EOS) does not fit the context
   */
  public int[] encode(String prompt, String response) {
    Tokenizer tok = tokenizer();
    int[] p = tok.encode(Objects.requireNonNull(prompt, "prompt"));
    int[] r = tok.encode(Objects.requireNonNull(response, "response"));
    int context = contextLength();
    if (r.length + 2 > context) {
      throw new IllegalArgumentException("response of " + r.length + " tokens does not fit the context of " + context
          + " tokens (with BOS and EOS)");
    }
    int keep = Math.min(p.length, context - 2 - r.length);
    int[] out = new int[keep + r.length + 2];
    out[0] = tok.bosId();
    System.arraycopy(p, p.length - keep, out, 1, keep);
    System.arraycopy(r, 0, out, 1 + keep, r.length);
    out[out.length - 1] = tok.eosId();
    return out;
  }

  @Override
  public double[] score(List<String> prompts, List<String> responses) {
    Objects.requireNonNull(prompts, "prompts");
    Objects.requireNonNull(responses, "responses");
    if (prompts.size() != responses.size()) {
      throw new IllegalArgumentException(
          "prompts has " + prompts.size() + " entries but responses has " + responses.size());
    }
    List<int[]> sequences = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      sequences.add(encode(prompts.get(i), responses.get(i)));
    }
    return scoreTokens(sequences);
  }

  /**
   * Scores already encoded sequences (each as {@link #encode} builds it: the head reads the last token).
   *
   * @throws IllegalArgumentException for an empty sequence, one longer than the context, or an unknown token id
   */
  public double[] scoreTokens(List<int[]> sequences) {
    if (sequences.isEmpty()) {
      return new double[0];
    }
    INDArray hidden = backbone.lastHiddenStates(sequences);
    INDArray rewards = hidden.mmul(headWeight).addi(headBias.getDouble(0));
    return rewards.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
  }

  private static INDArray freshHead(int d, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    float[] w = new float[d];
    for (int i = 0; i < d; i++) {
      w[i] = (float) (random.nextGaussian() * HEAD_INIT_STD);
    }
    return Nd4j.create(w, new long[] {d, 1}, 'c');
  }

  private static INDArray zeroBias() {
    return Nd4j.zeros(DataType.FLOAT, 1);
  }

  private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> out = new LinkedHashMap<>(a);
    out.putAll(b);
    return out;
  }
}
