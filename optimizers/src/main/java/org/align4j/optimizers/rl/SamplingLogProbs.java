package org.align4j.optimizers.rl;

import java.util.Objects;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.util.Args;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The log-probabilities and entropies of a sampler's distribution as SameDiff operations: the logits divided by
 * the temperature, with the tokens the sampler never picks (BOS and PAD) removed. PPO's old and new
 * log-probabilities must both be of this distribution, the one the completions were sampled from; the private and
 * the non-private PPO graphs build it here. Immutable.
 */
public final class SamplingLogProbs {

  private final int vocabSize;
  private final double temperature;
  private final int[] banned;

  /**
   * The distribution at {@code temperature} over a vocabulary of {@code vocabSize} tokens without {@code banned}.
   *
   * @throws IllegalArgumentException for a temperature that is not finite and positive or a banned id outside the
   *     vocabulary
   */
  public SamplingLogProbs(int vocabSize, double temperature, int... banned) {
    this.vocabSize = Args.positive("vocabSize", vocabSize);
    this.temperature = Args.finite("temperature", Args.positive("temperature", temperature));
    for (int id : banned) {
      Args.check(id >= 0 && id < vocabSize, "banned token %s is outside the vocabulary of %s", id, vocabSize);
    }
    this.banned = banned.clone();
  }

  /** The distribution {@code TransformerLm.generate} samples from: BOS and PAD of {@code tokenizer} removed. */
  public static SamplingLogProbs of(Tokenizer tokenizer, int vocabSize, double temperature) {
    Objects.requireNonNull(tokenizer, "tokenizer");
    return new SamplingLogProbs(vocabSize, temperature, tokenizer.bosId(), tokenizer.padId());
  }

  /** The temperature. */
  public double temperature() {
    return temperature;
  }

  /**
   * Log-probabilities ({@code [B, T]}, of {@code targets[b, t]} at each position) and entropies ({@code [B, T]},
   * of each position's next-token distribution).
   *
   * @param logProbs {@code log q(targets[b, t])}; a banned target's is about -1e9, finite
   * @param entropy {@code -sum_v q(v) log q(v)}
   */
  public record Outputs(SDVariable logProbs, SDVariable entropy) {}

  /**
   * Adds the operations to {@code sd}.
   *
   * @param logits {@code [B*T, V]} (row {@code b*T + t})
   * @param targets INT {@code [B, T]}
   * @param seqLen T
   */
  public Outputs build(SameDiff sd, SDVariable logits, SDVariable targets, int seqLen) {
    INDArray bannedRow = Nd4j.zeros(DataType.FLOAT, 1, vocabSize);
    for (int id : banned) {
      bannedRow.putScalar(0, id, -1e9);
    }
    // Log-softmax written out: SameDiff's logSoftmax gives -inf for the banned tokens, and -inf times the
    // one-hot's 0 is NaN. Here a banned token's log-probability is about -1e9, finite.
    SDVariable z = logits.div(temperature).add(sd.constant(bannedRow));
    SDVariable shifted = z.sub(sd.max(z, true, 1));
    SDVariable logq = shifted.sub(sd.math.log(sd.sum(sd.math.exp(shifted), true, 1)));
    SDVariable oneHot = sd.oneHot(sd.reshape(targets, -1), vocabSize, -1, 1.0, 0.0, DataType.FLOAT);
    SDVariable logp = sd.reshape(sd.sum(logq.mul(oneHot), 1), -1, seqLen);
    SDVariable entropy = sd.reshape(sd.sum(sd.math.exp(logq).mul(logq), 1).neg(), -1, seqLen);
    return new Outputs(logp, entropy);
  }
}
