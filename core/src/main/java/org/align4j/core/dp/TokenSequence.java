package org.align4j.core.dp;

import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * One tokenized training sequence for next-token training: positions {@code >= lossStart} are predicted and
 * learned (1 for a whole text after BOS; after the prompt for a prompt/completion pair).
 *
 * @param tokens the tokens, BOS first, at least two
 * @param lossStart the first position whose token is learned, in {@code [1, tokens.length)}
 */
public record TokenSequence(int[] tokens, int lossStart) {

  /** Validates. */
  public TokenSequence {
    Objects.requireNonNull(tokens, "tokens");
    Args.check(tokens.length >= 2, "tokens must hold at least 2 tokens, got %s", tokens.length);
    Args.check(lossStart >= 1 && lossStart < tokens.length, "lossStart must be in [1, %s), got %s", tokens.length,
        lossStart);
  }

  /** Input positions of next-token training: {@code tokens.length - 1}. */
  public int inputLength() {
    return tokens.length - 1;
  }

  /** Tokens learned: {@code tokens.length - lossStart}. */
  public int lossTokens() {
    return tokens.length - lossStart;
  }
}
