package org.align4j.memorization.inference;

import java.util.Arrays;
import java.util.zip.Deflater;
import org.align4j.core.util.Args;

/**
 * The membership-inference scores of one example.
 *
 * @param tokens number of scored tokens (log-probabilities)
 * @param loss mean negative log-likelihood per token, in nats
 * @param zlibRatio {@code loss / zlibBytes}
 * @param zlibBytes length in bytes of the example's UTF-8 text compressed by zlib ({@link Deflater}, level 9)
 * @param minKProb mean of the lowest {@code k%} token log-probabilities (at least one token)
 * @param referenceDifference {@code loss - referenceLoss} under a reference model, or null without one
 */
public record MembershipScores(
    int tokens, double loss, double zlibRatio, int zlibBytes, double minKProb, Double referenceDifference) {

  /** Validates. */
  public MembershipScores {
    Args.positive("tokens", tokens);
    Args.positive("zlibBytes", zlibBytes);
  }

  /**
   * Computes the scores from the audited model's token log-probabilities.
   *
   * @param logProbs per-token natural-log probabilities (at least one)
   * @param utf8 the scored text as UTF-8 bytes, for the zlib length
   * @param referenceLogProbs the same tokens' log-probabilities under a reference model, or null
   * @param kPercent the share of lowest log-probabilities averaged by Min-K%, in (0, 100]
   */
  public static MembershipScores compute(float[] logProbs, byte[] utf8, float[] referenceLogProbs, double kPercent) {
    Args.check(logProbs.length > 0, "logProbs must hold at least one token");
    Args.inOpenClosed("kPercent", kPercent, 0, 100);
    double loss = meanNegative(logProbs);
    int zlib = zlibLength(utf8);
    Double reference = null;
    if (referenceLogProbs != null) {
      Args.check(referenceLogProbs.length == logProbs.length, "referenceLogProbs must have %s tokens, got %s",
          logProbs.length, referenceLogProbs.length);
      reference = loss - meanNegative(referenceLogProbs);
    }
    return new MembershipScores(logProbs.length, loss, loss / zlib, zlib, minK(logProbs, kPercent), reference);
  }

  /** The raw value of one score, or null when it was not computed. */
  public Double get(ScoreKind kind) {
    return switch (kind) {
      case LOSS -> loss;
      case ZLIB_RATIO -> zlibRatio;
      case REFERENCE_DIFFERENCE -> referenceDifference;
      case MIN_K_PROB -> minKProb;
    };
  }

  /** Mean of the lowest {@code floor(k% * n)} values (at least one). */
  static double minK(float[] logProbs, double kPercent) {
    int count = Math.max(1, (int) Math.floor(logProbs.length * kPercent / 100.0));
    float[] sorted = logProbs.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += sorted[i];
    }
    return sum / count;
  }

  private static double meanNegative(float[] logProbs) {
    double sum = 0;
    for (float lp : logProbs) {
      sum -= lp;
    }
    return sum / logProbs.length;
  }

  /** The zlib-compressed length of {@code bytes} (at least the zlib header and checksum). */
  static int zlibLength(byte[] bytes) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try {
      deflater.setInput(bytes);
      deflater.finish();
      byte[] buffer = new byte[Math.max(64, bytes.length + 64)];
      int total = 0;
      while (!deflater.finished()) {
        total += deflater.deflate(buffer);
      }
      return total;
    } finally {
      deflater.end();
    }
  }
}
