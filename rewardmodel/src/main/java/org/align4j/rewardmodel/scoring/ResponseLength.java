package org.align4j.rewardmodel.scoring;

import org.align4j.core.tokenizer.Tokenizer;

/**
 * The lengths of one response: alone and with its prompt ("text", the length penalty's feature), in tokens and in
 * characters.
 *
 * @param tokens the response's tokens
 * @param chars the response's characters (code points)
 * @param textTokens the prompt's plus the response's tokens
 * @param textChars the prompt's plus the response's characters
 */
public record ResponseLength(int tokens, int chars, int textTokens, int textChars) {

  /** Measures {@code response} to {@code prompt}, counting tokens with {@code tokenizer}. */
  public static ResponseLength of(Tokenizer tokenizer, String prompt, String response) {
    int t = LengthUnit.TOKENS.measure(tokenizer, response);
    int c = LengthUnit.CHARS.measure(tokenizer, response);
    return new ResponseLength(t, c, t + LengthUnit.TOKENS.measure(tokenizer, prompt),
        c + LengthUnit.CHARS.measure(tokenizer, prompt));
  }

  /** The response's length in {@code unit}. */
  public int in(LengthUnit unit) {
    return unit == LengthUnit.TOKENS ? tokens : chars;
  }

  /** The prompt's plus the response's length in {@code unit}. */
  public int textIn(LengthUnit unit) {
    return unit == LengthUnit.TOKENS ? textTokens : textChars;
  }
}
